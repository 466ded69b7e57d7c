package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider.RefreshMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefreshFailureTest extends GatewayTest {

  private void startGateway(String loginPage) {
    start(config()
        .section("refresh:\n  before: 60s\n  timeout: 1s\n")
        .section("login:\n  page: " + loginPage + "\n")
        .route("/api/**", upstream.url("/v1")));
    provider.accessTokenSeconds = 30;
    login();
  }

  private static String loginLink(String page, String pathAndQuery) {
    return page + "?returnTo=" + URLEncoder.encode(pathAndQuery, StandardCharsets.UTF_8);
  }

  private void assertCookiesCleared(Browser.Response response) {
    assertThat(clears(response.setCookie("vestibule"))).as("session cookie cleared").isTrue();
    assertThat(clears(response.setCookie("vestibule-csrf"))).as("csrf cookie cleared").isTrue();
  }

  private void assertCookiesUntouched(Browser.Response response) {
    assertThat(response.setCookie("vestibule")).isNull();
    assertThat(response.setCookie("vestibule-csrf")).isNull();
  }

  @Test
  void aRejectedRefreshEndsTheSessionAndTellsAnApiCallWhereToLogIn() {
    startGateway("/login");
    Browser stolen = copyOf(browser);
    provider.refreshMode = RefreshMode.REJECT;

    Browser.Response response = browser.get("/api/things?a=1&b=two");
    var problem = assertProblem(response, 401);
    assertThat(problem.getString("login")).isEqualTo(loginLink("/login", "/api/things?a=1&b=two"));
    assertCookiesCleared(response);
    assertThat(upstream.received).isEmpty();

    provider.refreshMode = RefreshMode.OK;
    int refreshes = provider.refreshGrants.get();
    assertProblem(copyOf(stolen).get("/auth/session"), 401);
    assertProblem(copyOf(stolen).get("/api/things"), 401);
    assertThat(provider.refreshGrants.get()).as("an ended session is not refreshed again").isEqualTo(refreshes);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aRejectedRefreshSendsABrowserNavigationToTheLoginPage() {
    startGateway("/signin");
    provider.refreshMode = RefreshMode.REJECT;

    Browser.Response navigate = copyOf(browser).get("/api/report?year=2026", "Sec-Fetch-Mode", "navigate");
    assertThat(navigate.status()).isEqualTo(302);
    assertThat(navigate.header("Location")).isEqualTo(loginLink("/signin", "/api/report?year=2026"));
    assertCookiesCleared(navigate);
  }

  @Test
  void aGetAcceptingHtmlCountsAsANavigation() {
    startGateway("/login");
    provider.refreshMode = RefreshMode.REJECT;

    Browser.Response page = copyOf(browser).get("/api/page", "Accept", "text/html,application/xhtml+xml;q=0.9");
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.header("Location")).isEqualTo(loginLink("/login", "/api/page"));
  }

  @Test
  void aRejectedRefreshAfterAnUpstream401AlsoEndsTheSession() {
    startGateway("/login");
    provider.accessTokenSeconds = 300;
    Browser fresh = newBrowser();
    login(fresh);
    provider.expireAllAccessTokens();
    provider.refreshMode = RefreshMode.REJECT;

    Browser.Response response = fresh.get("/api/things");
    assertThat(assertProblem(response, 401).getString("login")).isEqualTo(loginLink("/login", "/api/things"));
    assertCookiesCleared(response);
  }

  @Test
  void aProviderAnswering503Gives503AndLeavesTheSessionAsItWas() {
    startGateway("/login");
    provider.refreshMode = RefreshMode.FAIL_503;

    Browser.Response response = browser.get("/api/things");
    assertProblem(response, 503);
    assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
    assertCookiesUntouched(response);
    assertThat(upstream.received).isEmpty();

    provider.refreshMode = RefreshMode.OK;
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void aProviderSlowerThanTheRefreshTimeoutGives503AndTheSessionWorksAfterwards() {
    startGateway("/login");
    provider.refreshMode = RefreshMode.HANG;

    long started = System.nanoTime();
    Browser.Response response = browser.get("/api/things");
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertProblem(response, 503);
    assertThat(response.header("Retry-After")).isNotBlank();
    assertThat(tookMillis).isBetween(900L, 3_000L);
    assertCookiesUntouched(response);

    provider.refreshMode = RefreshMode.OK;
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.isLive(bearer(upstream.last()))).isTrue();
  }

  @Test
  void anUnreachableProviderGives503() {
    startGateway("/login");
    provider.close();

    Browser.Response response = browser.get("/api/things");
    assertProblem(response, 503);
    assertThat(response.header("Retry-After")).isNotBlank();
    assertCookiesUntouched(response);
  }

  @Test
  void aRefreshRefusedWith401AlsoEndsTheSession() {
    startGateway("/login");
    provider.refreshMode = RefreshMode.REJECT_401;
    Browser.Response response = browser.get("/api/things");
    assertThat(assertProblem(response, 401).getString("login")).isEqualTo(loginLink("/login", "/api/things"));
    assertCookiesCleared(response);
  }

  @Test
  void aProviderFailingWith500OrABrokenAnswerGives503AndKeepsTheSession() {
    startGateway("/login");
    for (RefreshMode mode : new RefreshMode[] {RefreshMode.FAIL_500, RefreshMode.GARBAGE}) {
      provider.refreshMode = mode;
      Browser.Response response = browser.get("/api/things");
      assertProblem(response, 503);
      assertThat(response.header("Retry-After")).as(mode.name()).isNotBlank();
      assertCookiesUntouched(response);
    }
    provider.refreshMode = RefreshMode.OK;
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
  }
}
