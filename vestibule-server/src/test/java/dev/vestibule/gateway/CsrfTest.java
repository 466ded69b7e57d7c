package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsrfTest extends GatewayTest {
  private static final List<String> UNSAFE = List.of("POST", "PUT", "PATCH", "DELETE");

  @BeforeEach
  void startGateway() {
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .route("/open/**", upstream.url("/v1/open"), "auth: optional")
        .route("/webhooks/**", upstream.url("/v1/webhooks"), "csrf: false"));
  }

  private Browser.Response send(Browser b, String method, String path, String... headers) {
    return b.send(method, path, HttpRequest.BodyPublishers.ofString("{\"x\":1}"), headers);
  }

  @Test
  void unsafeMethodsWithoutTheHeaderAre403AndNothingIsForwarded() {
    login();
    for (String method : UNSAFE) assertProblem(send(browser, method, "/api/notes/1"), 403);
    assertThat(upstream.received).isEmpty();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void anyOtherMethodThanGetHeadAndOptionsNeedsTheHeaderToo() {
    login();
    for (String method : List.of("post", "Delete", "PROPPATCH", "MKCOL", "PURGE", "TRACE")) {
      assertProblem(send(browser, method, "/api/notes/1"), 403);
    }
    assertThat(upstream.received).isEmpty();
    assertThat(send(browser, "PROPPATCH", "/api/notes/1", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
    assertThat(upstream.last().getString("method")).isEqualTo("PROPPATCH");
  }

  @Test
  void unsafeMethodsWithTheRightHeaderAreForwarded() {
    login();
    for (String method : UNSAFE) {
      assertThat(send(browser, method, "/api/notes/1", "X-CSRF-Token", browser.csrf()).status()).as(method).isEqualTo(200);
      assertThat(upstream.last().getString("method")).isEqualTo(method);
    }
    assertThat(upstream.received).hasSize(UNSAFE.size());
  }

  @Test
  void aWrongHeaderOrAMissingCookieIs403() {
    login();
    String token = browser.csrf();
    assertProblem(send(browser, "POST", "/api/notes", "X-CSRF-Token", token + "x"), 403);
    assertProblem(send(browser, "POST", "/api/notes", "X-CSRF-Token", ""), 403);

    Browser withoutCookie = copyOf(browser);
    withoutCookie.cookies.remove("vestibule-csrf");
    assertProblem(send(withoutCookie, "POST", "/api/notes", "X-CSRF-Token", token), 403);

    Browser forgedPair = copyOf(browser);
    forgedPair.cookies.put("vestibule-csrf", "attacker-chosen");
    assertProblem(send(forgedPair, "POST", "/api/notes", "X-CSRF-Token", "attacker-chosen"), 403);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anotherSessionsTokenIsRefusedEvenWithItsOwnMatchingCookie() {
    login();
    Browser mallory = newBrowser();
    login(mallory);
    String malloryToken = mallory.csrf();
    assertThat(malloryToken).isNotEqualTo(browser.csrf());

    Browser victim = copyOf(browser);
    victim.cookies.put("vestibule-csrf", malloryToken);
    assertProblem(send(victim, "POST", "/api/notes", "X-CSRF-Token", malloryToken), 403);
    assertProblem(victim.post("/auth/logout", "", "X-CSRF-Token", malloryToken), 403);
    assertThat(upstream.received).isEmpty();
    assertThat(provider.revoked).isEmpty();
  }

  @Test
  void safeMethodsNeedNoHeader() {
    login();
    assertThat(browser.get("/api/notes").status()).isEqualTo(200);
    assertThat(browser.send("HEAD", "/api/notes", HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);
    assertThat(browser.send("OPTIONS", "/api/notes", HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);
  }

  @Test
  void aRouteWithCsrfOffSkipsTheCheck() {
    login();
    assertThat(send(browser, "POST", "/webhooks/github").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/webhooks/github");
  }

  @Test
  void onAnOptionalRouteAUserNeedsTheHeaderAndAGuestDoesNot() {
    Browser guest = newBrowser();
    assertThat(send(guest, "POST", "/open/comments").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();

    login();
    int forwarded = upstream.received.size();
    assertProblem(send(browser, "POST", "/open/comments"), 403);
    assertThat(upstream.received).hasSize(forwarded);
    assertThat(send(browser, "POST", "/open/comments", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
  }
}
