package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider.RefreshMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthModesTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config()
        .route("/api/**", upstream.url("/v1"), "auth: required")
        .route("/open/**", upstream.url("/v1/open"), "auth: optional")
        .route("/public/**", upstream.url("/v1/public"), "auth: none")
        .route("/read/**", upstream.url("/v1/read"), "methods: [GET]"));
  }

  @Test
  void anOptionalRouteForwardsGuestsWithoutATokenAndUsersWithOne() {
    assertThat(browser.get("/open/feed").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();

    login();
    assertThat(browser.get("/open/feed").status()).isEqualTo(200);
    assertThat(provider.isLive(bearer(upstream.last()))).isTrue();
  }

  @Test
  void anOptionalRouteWhoseRefreshIsRejectedGoesOnAsAGuest() {
    provider.accessTokenSeconds = 30;
    login();
    provider.refreshMode = RefreshMode.REJECT;
    Browser.Response response = browser.get("/open/feed");
    assertThat(response.status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();
    assertThat(clears(response.setCookie("vestibule"))).isTrue();
  }

  @Test
  void aRouteWithoutAuthForwardsNoTokenEvenForALoggedInUser() {
    assertThat(browser.get("/public/prices").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();

    login();
    assertThat(browser.get("/public/prices", "Authorization", "Bearer client-sent").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();
    assertThat(String.join(";", header(upstream.last(), "cookie"))).doesNotContain("vestibule");
  }

  @Test
  void aRequiredRouteWithoutASessionIs401WithALoginLink() {
    Browser.Response response = browser.get("/api/things?id=7");
    assertThat(assertProblem(response, 401).getString("login"))
        .isEqualTo("/login?returnTo=" + URLEncoder.encode("/api/things?id=7", StandardCharsets.UTF_8));
    assertProblem(browser.post("/api/things", "{}"), 401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aRequiredRouteSendsABrowserNavigationWithoutASessionToLogin() {
    Browser.Response response = browser.get("/api/dashboard?tab=2", "Sec-Fetch-Mode", "navigate");
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("Location"))
        .isEqualTo("/login?returnTo=" + URLEncoder.encode("/api/dashboard?tab=2", StandardCharsets.UTF_8));
    assertThat(browser.get("/api/dashboard", "Accept", "text/html").status()).isEqualTo(302);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aRouteLimitedToGetAnswers405ToOtherMethods() {
    login();
    assertThat(browser.get("/read/books").status()).isEqualTo(200);
    Browser.Response post = browser.post("/read/books", "{}", "X-CSRF-Token", browser.csrf());
    assertProblem(post, 405);
    assertThat(post.header("Allow")).contains("GET");
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void aNavigatingFormPostIsANavigationButAnHtmlAcceptingPostIsNot() {
    Browser.Response form = browser.post("/api/things", "{}", "Sec-Fetch-Mode", "navigate");
    assertThat(form.status()).isEqualTo(302);
    assertThat(form.header("Location")).isEqualTo("/login?returnTo=%2Fapi%2Fthings");
    assertProblem(browser.post("/api/things", "{}", "Accept", "text/html"), 401);
  }

  @Test
  void aGuestOnAnOptionalRouteGetsTheUpstreams401AsIs() {
    Browser.Response response = browser.get("/open/feed", "Authorization", "Bearer whatever");
    assertThat(response.status()).isEqualTo(200);
    upstream.acceptsToken = token -> false;
    login();
    Browser.Response refused = browser.get("/open/feed");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
  }
}
