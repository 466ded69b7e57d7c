package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionEndpointTest extends GatewayTest {

  private static Instant instant(JsonObject json, String member) {
    Object value = json.getValue(member);
    assertThat(value).as(member).isNotNull();
    return value instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : Instant.parse(value.toString());
  }

  private JsonObject session() {
    Browser.Response session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.header("Content-Type")).startsWith("application/json");
    return session.json();
  }

  @Test
  void withoutASessionItIs401() {
    start(config());
    assertProblem(browser.get("/auth/session"), 401);
  }

  @Test
  void theUserComesFromUserinfoAndMatchesTheLoginAnswer() {
    start(config());
    JsonObject loginUser = login().json().getJsonObject("user");
    JsonObject session = session();
    assertThat(session.getJsonObject("user")).isEqualTo(loginUser);
    assertThat(loginUser.getString("name")).isEqualTo("Alice");
    assertThat(loginUser.getString("email")).isEqualTo(FakeProvider.USER);
  }

  @Test
  void loggedInAtAndExpiresAtSpanTheMaxAgeWhichRefreshesDoNotExtend() {
    start(config().session("maxAge: 2h").section("refresh:\n  before: 60s\n").route("/api/**", upstream.url("/v1")));
    provider.accessTokenSeconds = 30;
    Instant before = Instant.now().minusSeconds(1);
    login();
    JsonObject first = session();
    Instant loggedInAt = instant(first, "loggedInAt");
    Instant expiresAt = instant(first, "expiresAt");
    assertThat(loggedInAt).isBetween(before, Instant.now().plusSeconds(1));
    assertThat(Duration.between(loggedInAt, expiresAt)).isEqualTo(Duration.ofHours(2));

    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    JsonObject afterRefresh = session();
    assertThat(instant(afterRefresh, "loggedInAt")).isEqualTo(loggedInAt);
    assertThat(instant(afterRefresh, "expiresAt")).isEqualTo(expiresAt);
  }

  @Test
  void theCookieLivesAsLongAsTheLogin() {
    start(config().session("maxAge: 2h"));
    String cookie = login().setCookie("vestibule").toLowerCase();
    long maxAge = Long.parseLong(cookie.replaceAll(".*max-age=(\\d+).*", "$1"));
    assertThat(maxAge).isBetween(7_190L, 7_200L);
  }

  @Test
  void withoutUserinfoNorJwtsTheUserIsTheNameGivenAtLogin() {
    start(config().withoutUserinfo());
    assertThat(login().json().getJsonObject("user")).isEqualTo(new JsonObject().put("username", FakeProvider.USER));
    assertThat(session().getJsonObject("user")).isEqualTo(new JsonObject().put("username", FakeProvider.USER));
  }

  @Test
  void withoutUserinfoTheUserComesFromAJwtAccessTokensClaims() {
    provider.jwtAccessTokens = true;
    start(config().withoutUserinfo());
    login();
    JsonObject user = session().getJsonObject("user");
    assertThat(user.getString("name")).isEqualTo("Alice (from the access token)");
    assertThat(user.getString("email")).isEqualTo(FakeProvider.USER);
    assertThat(user.fieldNames()).doesNotContain("exp", "iat", "iss", "aud", "jti", "scope");
  }

  @Test
  void withoutUserinfoTheIdTokenComesBeforeTheAccessToken() {
    provider.jwtAccessTokens = true;
    provider.idTokens = true;
    start(config().withoutUserinfo());
    login();
    JsonObject user = session().getJsonObject("user");
    assertThat(user.getString("name")).isEqualTo("Alice (from the ID token)");
    assertThat(user.fieldNames()).doesNotContain("exp", "iat", "iss", "aud", "nonce");
  }
}
