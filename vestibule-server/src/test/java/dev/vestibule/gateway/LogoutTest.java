package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogoutTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config().route("/api/**", upstream.url("/v1")));
  }

  @Test
  void logoutWithoutTheCsrfHeaderIsRefusedAndTheSessionGoesOn() {
    login();
    assertProblem(browser.post("/auth/logout", ""), 403);
    assertProblem(browser.post("/auth/logout", "", "X-CSRF-Token", "not-the-token"), 403);
    assertThat(provider.revoked).isEmpty();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void logoutClearsTheCookiesAndRevokesTheRefreshToken() {
    login();
    String refreshToken = provider.lastRefreshToken();

    Browser.Response logout = browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf());
    assertThat(logout.status()).isEqualTo(204);
    assertThat(clears(logout.setCookie("vestibule"))).as("session cookie cleared").isTrue();
    assertThat(clears(logout.setCookie("vestibule-csrf"))).as("csrf cookie cleared").isTrue();
    assertThat(provider.revoked).contains(refreshToken);
    assertProblem(browser.get("/auth/session"), 401);
  }

  @Test
  void theOldCookieReplayedAfterLogoutIsRefusedEverywhere() {
    login();
    Browser stolen = copyOf(browser);
    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);
    int forwardedBefore = upstream.received.size();

    // A fresh copy per replay: each refusal also tells the replaying browser to drop the cookie.
    assertProblem(copyOf(stolen).get("/auth/session"), 401);
    assertProblem(copyOf(stolen).get("/api/things"), 401);
    Browser replay = copyOf(stolen);
    assertProblem(replay.post("/api/things", "{}", "X-CSRF-Token", replay.csrf()), 401);
    assertThat(upstream.received).hasSize(forwardedBefore);
  }

  @Test
  void aNewLoginInTheSameBrowserEndsTheOneBefore() {
    login();
    Browser copiedCookie = copyOf(browser);
    assertThat(copiedCookie.get("/auth/session").status()).isEqualTo(200);

    login();

    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertProblem(copiedCookie.get("/auth/session"), 401);
    assertProblem(copiedCookie.get("/api/things"), 401);
  }

  @Test
  void anotherLoginOfTheSameUserSurvivesTheLogout() {
    login();
    Browser otherDevice = newBrowser();
    login(otherDevice);
    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);
    assertThat(otherDevice.get("/auth/session").status()).isEqualTo(200);
    assertThat(otherDevice.get("/api/things").status()).isEqualTo(200);
  }

  @Test
  void logoutWorksWhileTheProviderIsDownAndTheCookieIsStillRefusedAfterwards() {
    login();
    Browser stolen = copyOf(browser);
    provider.close();

    long started = System.nanoTime();
    Browser.Response logout = browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf());
    assertThat(logout.status()).isEqualTo(204);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(6_000);
    assertThat(clears(logout.setCookie("vestibule"))).isTrue();
    assertProblem(copyOf(stolen).get("/auth/session"), 401);
    assertProblem(copyOf(stolen).get("/api/things"), 401);
  }

  @Test
  void theOldCookieOnAnOptionalRouteIsAGuest() {
    TestGateway withOptional = another(config().route("/open/**", upstream.url("/v1/open"), "auth: optional"));
    Browser user = browserFor(withOptional);
    login(user);
    Browser stolen = copyOf(user, withOptional);
    assertThat(user.post("/auth/logout", "", "X-CSRF-Token", user.csrf()).status()).isEqualTo(204);

    assertThat(stolen.get("/open/feed").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "authorization")).isEmpty();
  }
}
