package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error the gateway answers itself is problem+json, without stack traces. */
class ProblemDetailsTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config().route("/api/**", upstream.url("/v1"), "maxBodyBytes: 100"));
  }

  private static void assertNoInternals(Browser.Response response) {
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.vestibule").doesNotContain("at io.vertx");
  }

  @Test
  void everyGatewayErrorIsAProblem() {
    List<Browser.Response> errors = new ArrayList<>();
    errors.add(browser.get("/auth/session"));
    errors.add(browser.get("/api/things"));
    errors.add(browser.get("/nothing-here"));
    errors.add(browser.send("PUT", "/auth/login", HttpRequest.BodyPublishers.ofString("{}"),
        "Content-Type", "application/json"));
    errors.add(browser.post("/auth/login", "{not json"));
    errors.add(browser.post("/auth/login", "{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(40_000) + "\"}"));
    errors.add(browser.send("POST", "/auth/login", HttpRequest.BodyPublishers.ofString("a=b"),
        "Content-Type", "text/plain"));
    login();
    errors.add(browser.post("/api/things", "{}"));
    errors.add(browser.post("/api/things", "x".repeat(500), "X-CSRF-Token", browser.csrf()));

    for (Browser.Response error : errors) {
      assertThat(error.status()).as(error.path()).isBetween(400, 599);
      assertProblem(error, error.status());
      assertNoInternals(error);
    }
    assertThat(errors).extracting(Browser.Response::status).contains(401, 403, 404, 413, 415);
    assertThat(errors.get(3).status()).as("PUT /auth/login").isIn(404, 405);
    assertThat(errors.get(5).status()).as("an oversized login body").isIn(400, 413);
  }
}
