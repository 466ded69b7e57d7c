package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.GatewayYaml;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class LoginTest extends GatewayTest {

  private GatewayYaml withLoginLimit(String limit) {
    return config().section("limits:\n  login: " + limit + "\n").route("/api/**", upstream.url("/v1"));
  }

  private static String credentials(String user, String password) {
    return new JsonObject().put("email", user).put("password", password).encode();
  }

  private Browser.Response attempt(String user, String password, String... headers) {
    return browser.post("/auth/login", credentials(user, password), headers);
  }

  @Test
  void loginAnswersWithTheUserAndSetsTheSessionAndCsrfCookies() {
    start(withLoginLimit("10/1m"));
    Browser.Response login = login();
    assertThat(login.header("Content-Type")).startsWith("application/json");
    assertThat(login.json().fieldNames()).containsExactly("user");
    assertThat(login.json().getJsonObject("user").getString("email")).isEqualTo(FakeProvider.USER);
    assertThat(login.setCookie("vestibule")).isNotNull();
    assertThat(login.setCookie("vestibule-csrf")).isNotNull();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    start(withLoginLimit("10/1m"));
    Browser.Response wrongPassword = attempt(FakeProvider.USER, "not the password");
    Browser.Response unknownUser = attempt("nobody@example.com", "not the password");

    assertProblem(wrongPassword, 401);
    assertProblem(unknownUser, 401);
    assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
    assertThat(unknownUser.header("Content-Type")).isEqualTo(wrongPassword.header("Content-Type"));
    assertThat(wrongPassword.all("set-cookie")).noneMatch(c -> c.startsWith("vestibule=") && !clears(c));
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void missingOrMalformedFieldsAre400() {
    start(withLoginLimit("100/1m"));
    for (String body : new String[] {
        "{\"password\":\"x\"}",
        "{\"email\":\"" + FakeProvider.USER + "\"}",
        "{\"email\":\"\",\"password\":\"x\"}",
        "{\"email\":\"" + FakeProvider.USER + "\",\"password\":\"\"}",
        "{\"email\":\"" + FakeProvider.USER + "\",\"password\":12345}",
        "{}",
        "[]",
        "{\"email\":",
        ""}) {
      assertProblem(browser.post("/auth/login", body), 400);
    }
    assertThat(provider.passwordGrants.get()).isZero();
  }

  @Test
  void usernameWorksAsWellAsEmail() {
    start(withLoginLimit("10/1m"));
    Browser.Response login = browser.post("/auth/login",
        new JsonObject().put("username", FakeProvider.USER).put("password", FakeProvider.PASSWORD).encode());
    assertThat(login.status()).isEqualTo(200);
  }

  @Test
  void aFormPostIs415() {
    start(withLoginLimit("10/1m"));
    Browser.Response form = browser.send("POST", "/auth/login",
        HttpRequest.BodyPublishers.ofString("email=alice%40example.com&password=x"),
        "Content-Type", "application/x-www-form-urlencoded");
    assertProblem(form, 415);
    Browser.Response noType = browser.send("POST", "/auth/login",
        HttpRequest.BodyPublishers.ofString(credentials(FakeProvider.USER, FakeProvider.PASSWORD)));
    assertProblem(noType, 415);
    assertThat(provider.passwordGrants.get()).isZero();
  }

  @Test
  void tooManyAttemptsFromOneAddressGet429WithRetryAfter() {
    start(withLoginLimit("3/1m"));
    for (int i = 0; i < 3; i++) assertProblem(attempt("user" + i + "@example.com", "wrong"), 401);

    Browser.Response limited = attempt(FakeProvider.USER, FakeProvider.PASSWORD);
    assertProblem(limited, 429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void onlyRefusedLoginsCountAgainstTheLimit() {
    start(withLoginLimit("3/1m"));
    for (int i = 0; i < 5; i++) assertThat(login().status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) assertProblem(attempt(FakeProvider.USER, "wrong"), 401);
    assertProblem(attempt(FakeProvider.USER, FakeProvider.PASSWORD), 429);
  }

  @Test
  void aSpoofedForwardedForDoesNotEscapeTheAddressLimit() {
    start(withLoginLimit("3/1m"));
    for (int i = 0; i < 3; i++) {
      assertProblem(attempt("user" + i + "@example.com", "wrong", "X-Forwarded-For", "10.0.0." + i), 401);
    }
    assertProblem(attempt("user9@example.com", "wrong", "X-Forwarded-For", "10.0.0.9"), 429);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnLimit() {
    start(withLoginLimit("3/1m").section("trustedProxies: [127.0.0.1/32]"));
    for (int i = 0; i < 3; i++) {
      assertProblem(attempt("user" + i + "@example.com", "wrong", "X-Forwarded-For", "10.0.0.1"), 401);
    }
    assertProblem(attempt("user8@example.com", "wrong", "X-Forwarded-For", "10.0.0.1"), 429);
    assertProblem(attempt("user9@example.com", "wrong", "X-Forwarded-For", "10.0.0.2"), 401);
  }

  @Test
  void aClientLineOfXForwardedForAheadOfTheProxysOwnLineIsNotTheClientsAddress() {
    start(withLoginLimit("3/1m").section("trustedProxies: [127.0.0.1/32]"));
    // A proxy that adds its own X-Forwarded-For line instead of extending the client's: the client's line comes first.
    for (int i = 0; i < 3; i++) {
      assertProblem(attempt("user" + i + "@example.com", "wrong",
          "X-Forwarded-For", "10.0.2." + i, "X-Forwarded-For", "10.0.0.50"), 401);
    }
    assertProblem(attempt("user8@example.com", "wrong", "X-Forwarded-For", "10.0.2.8", "X-Forwarded-For", "10.0.0.50"),
        429);
  }

  @Test
  void anIpv6ClientCannotTakeAFreshBudgetWithEachAddressOfItsNetwork() {
    start(withLoginLimit("3/1m").section("trustedProxies: [127.0.0.1/32]"));
    for (int i = 0; i < 3; i++) {
      assertProblem(attempt("user" + i + "@example.com", "wrong", "X-Forwarded-For", "2001:db8:7:7::" + (i + 1)), 401);
    }
    assertProblem(attempt("user8@example.com", "wrong", "X-Forwarded-For", "2001:db8:7:7:abcd::9"), 429);
    assertProblem(attempt("user9@example.com", "wrong", "X-Forwarded-For", "2001:db8:7:8::1"), 401);
  }

  @Test
  void tooManyAttemptsOnOneAccountGet429FromAnyAddress() {
    start(withLoginLimit("3/1m").section("trustedProxies: [127.0.0.1/32]"));
    for (int i = 0; i < 3; i++) {
      String sameAccount = i == 1 ? FakeProvider.USER.toUpperCase() : FakeProvider.USER;
      assertProblem(attempt(sameAccount, "wrong", "X-Forwarded-For", "10.0.1." + i), 401);
    }
    Browser.Response limited = attempt(FakeProvider.USER, FakeProvider.PASSWORD, "X-Forwarded-For", "10.0.1.7");
    assertProblem(limited, 429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertProblem(attempt("someone.else@example.com", "wrong", "X-Forwarded-For", "10.0.1.8"), 401);
  }

  @Test
  void theLimitLiftsAfterItsWindow() throws Exception {
    start(withLoginLimit("2/2s"));
    assertProblem(attempt("a@example.com", "wrong"), 401);
    assertProblem(attempt("b@example.com", "wrong"), 401);
    Browser.Response limited = attempt("c@example.com", "wrong");
    assertProblem(limited, 429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 2L);
    Thread.sleep(2_200);
    assertThat(attempt(FakeProvider.USER, FakeProvider.PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void jsonWithACharsetIsAccepted() {
    start(withLoginLimit("10/1m"));
    Browser.Response login = browser.send("POST", "/auth/login",
        HttpRequest.BodyPublishers.ofString(credentials(FakeProvider.USER, FakeProvider.PASSWORD)),
        "Content-Type", "application/json; charset=utf-8");
    assertThat(login.status()).isEqualTo(200);
  }

  @Test
  void loginWhileTheProviderIsDownIs503NotAnError() {
    start(withLoginLimit("10/1m"));
    provider.close();
    Browser.Response login = attempt(FakeProvider.USER, FakeProvider.PASSWORD);
    assertProblem(login, 503);
    assertThat(login.all("set-cookie")).noneMatch(c -> c.startsWith("vestibule=") && !clears(c));
  }
}
