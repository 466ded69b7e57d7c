package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteMatchingTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config()
        .route("/weather", upstream.url("/v1/forecast"), "auth: none")
        .route("/api/public/**", upstream.url("/v1/public"), "auth: none")
        .route("/api/**", upstream.url("/v1"))
        .route("/bare/**", upstream.url("")));
  }

  @Test
  void anExactRouteForwardsOnlyItsOwnPath() {
    assertThat(browser.get("/weather?city=Bern").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/forecast?city=Bern");
    assertProblem(browser.get("/weather/extra"), 404);
    assertProblem(browser.get("/weatherx"), 404);
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void theMoreSpecificRouteListedFirstDecidesAndNormalisationCannotSkipAuth() {
    assertThat(browser.get("/api/public/prices").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/public/prices");
    assertProblem(browser.get("/api/private"), 401);
    for (String sneaky : new String[] {"/api/public/../private", "/api/public/%2e%2e/private", "/api/public/./../private",
        "/api/public//../private"}) {
      int status = RawHttp.status(gateway.port(), "GET " + sneaky + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(status).as(sneaky).isIn(400, 401);
    }
    assertThat(upstreamUris()).containsExactly("/v1/public/prices");
  }

  @Test
  void anUpstreamWithoutAPathGetsTheRestOfTheRequestPath() {
    login();
    assertThat(browser.get("/bare/x/y?z=1").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/x/y?z=1");
  }
}
