package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Bodies;
import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config().section("refresh:\n  before: 60s\n  grace: 60s\n").route("/api/**", upstream.url("/v1")));
  }

  /** Logs in with tokens that live 30 s, less than refresh.before; later tokens live 5 minutes. */
  private String loginWithExpiringToken() {
    provider.accessTokenSeconds = 30;
    login();
    provider.accessTokenSeconds = 300;
    return provider.issued.get(provider.issued.size() - 2);
  }

  @Test
  void anExpiringTokenIsRefreshedOnceBeforeTheRequestIsForwarded() {
    String loginToken = loginWithExpiringToken();
    String cookie = browser.cookies.get("vestibule");

    Browser.Response response = browser.get("/api/things");
    assertThat(response.status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.received).hasSize(1);
    String used = bearer(upstream.last());
    assertThat(used).isNotEqualTo(loginToken);
    assertThat(provider.isLive(used)).isTrue();
    assertThat(response.setCookie("vestibule")).as("new cookie with the new tokens").isNotNull();
    assertThat(browser.cookies.get("vestibule")).isNotEqualTo(cookie);

    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(bearer(upstream.last())).isEqualTo(used);
  }

  @Test
  void aFreshTokenIsNotRefreshed() {
    login();
    assertThat(browser.get("/api/things").setCookie("vestibule")).isNull();
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isZero();
  }

  @Test
  void anUpstream401RefreshesOnceAndRetriesWithTheBodyIntact() {
    login();
    String loginToken = bearerOfNextCall();
    provider.expireAllAccessTokens();

    String body = Bodies.text(100 * 1024, 11);
    Browser.Response response = browser.send("POST", "/api/notes", HttpRequest.BodyPublishers.ofString(body),
        "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain");
    assertThat(response.status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    JsonObject first = upstream.received.get(upstream.received.size() - 2);
    JsonObject retry = upstream.last();
    assertThat(bearer(first)).isEqualTo(loginToken);
    assertThat(bearer(retry)).isNotEqualTo(loginToken);
    assertThat(provider.isLive(bearer(retry))).isTrue();
    assertThat(retry.getString("method")).isEqualTo("POST");
    assertThat(retry.getString("body")).isEqualTo(body);
    assertThat(response.setCookie("vestibule")).isNotNull();

    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  @Test
  void anUpstreamThatRefusesBeforeReadingTheBodyStillGetsTheWholeBodyOnTheRetry() {
    login();
    provider.expireAllAccessTokens();
    upstream.rejectBeforeBody = true;

    String body = Bodies.text(256 * 1024, 12);
    Browser.Response response = browser.send("POST", "/api/notes", Bodies.chunked(body, 300),
        "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain");
    assertThat(response.status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.last().getString("body")).isEqualTo(body);
  }

  @Test
  void aSecond401GoesBackAsIsWithTheRefreshedCookie() {
    login();
    upstream.acceptsToken = token -> false;

    Browser.Response response = browser.get("/api/things");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(response.header("Content-Type")).isNull();
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.received).hasSize(2);
    String refreshed = bearer(upstream.last());
    assertThat(response.setCookie("vestibule")).isNotNull();
    assertThat(clears(response.setCookie("vestibule"))).isFalse();

    upstream.acceptsToken = token -> provider.isLive(token);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(bearer(upstream.last())).isEqualTo(refreshed);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  @Test
  void thePreRefreshCookieWithinGraceGetsTheRefreshedTokensWithoutASecondRefresh() {
    loginWithExpiringToken();
    Browser otherTab = copyOf(browser);

    assertThat(browser.get("/api/one").status()).isEqualTo(200);
    String refreshed = bearer(upstream.last());
    assertThat(provider.refreshGrants.get()).isEqualTo(1);

    Browser.Response late = otherTab.get("/api/two");
    assertThat(late.status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(bearer(upstream.last())).isEqualTo(refreshed);
    assertThat(late.setCookie("vestibule")).as("the late tab gets the newer tokens too").isNotNull();

    assertThat(otherTab.get("/api/three").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  @Test
  void aLateRequestRefusedWithThePreRefreshTokenUsesTheRefreshedOneWithoutASecondRefresh() {
    login();
    Browser otherTab = copyOf(browser);
    provider.expireAllAccessTokens();

    assertThat(browser.get("/api/one").status()).isEqualTo(200);
    String refreshed = bearer(upstream.last());
    assertThat(provider.refreshGrants.get()).isEqualTo(1);

    assertThat(otherTab.get("/api/two").status()).isEqualTo(200);
    assertThat(bearer(upstream.last())).isEqualTo(refreshed);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  private String bearerOfNextCall() {
    assertThat(browser.get("/api/whoami").status()).isEqualTo(200);
    return bearer(upstream.last());
  }

  @Test
  void aStreamedDownloadAfterARefreshCarriesTheNewCookie() throws Exception {
    loginWithExpiringToken();
    var response = browser.stream("/api/download?chunks=3");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("vestibule="));
    try (var body = response.body()) {
      assertThat(new String(body.readAllBytes())).contains("chunk-2");
    }
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }
}
