package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertNoSecrets;
import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §3 "Session endpoints" and "CSRF", against one gateway with default limits, from 127.0.0.1. */
class SessionEndpointsTest extends DefaultStackTest {
  static Stack.User ada;

  @BeforeAll
  static void start() {
    ada = stack.register("Ada");
  }

  private static Http.Answer login(Http browser, String email, String password) {
    return browser.postJson("/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  // "POST /auth/login JSON {"email"|"username", "password"} → 200 {"user":{...}} and the session cookie."
  @Test
  void loginWithEmailAndPasswordAnswers200WithTheUserAndTheSessionCookie() {
    Http browser = stack.browser();
    Http.Answer answer = login(browser, ada.email(), ada.password());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("user").getString("email")).isEqualTo(ada.email());
    assertThat(answer.setCookie("vestibule")).isNotNull();
    assertThat(browser.jar).containsKey("vestibule");
    assertNoSecrets(answer);
    assertThat(answer.body()).doesNotContain("access_token").doesNotContain("refresh_token");
  }

  // "POST /auth/login JSON {"email"|"username", "password"}": the username member works too.
  @Test
  void loginWithTheEmailGivenAsUsernameAlsoWorks() {
    Http browser = stack.browser();
    Http.Answer answer = browser.postJson("/auth/login",
        new JsonObject().put("username", ada.email()).put("password", ada.password()));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("user").getString("email")).isEqualTo(ada.email());
  }

  // "Wrong credentials → 401, the same answer whether the user exists or not."
  @Test
  void wrongCredentialsGet401AndTheSameAnswerForAKnownAndAnUnknownUser() {
    Http.Answer wrongPassword = login(stack.browser(), ada.email(), "not the password at all");
    Http.Answer unknownUser = login(stack.browser(), Stack.freshEmail("ghost"), "not the password at all");
    JsonObject one = assertProblem(wrongPassword, 401);
    JsonObject other = assertProblem(unknownUser, 401);
    assertThat(one).isEqualTo(other);
    assertThat(wrongPassword.headers().keySet()).isEqualTo(unknownUser.headers().keySet());
    assertThat(wrongPassword.setCookie("vestibule")).isNull();
  }

  // "GET /auth/session → 200 {"user":{...},"loggedInAt":...,"expiresAt":...}: the public part only, never a token."
  @Test
  void theSessionAnswersTheUserAndItsTimesButNoToken() {
    Instant before = Instant.now().minusSeconds(2);
    Http browser = stack.login(ada);
    Http.Answer answer = browser.get("/auth/session");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject body = answer.json();
    assertThat(body.getJsonObject("user").getString("email")).isEqualTo(ada.email());
    assertThat(body.getJsonObject("user").getString("name")).isEqualTo("Ada");
    Instant loggedInAt = instant(body.getValue("loggedInAt"));
    Instant expiresAt = instant(body.getValue("expiresAt"));
    assertThat(loggedInAt).isAfter(before).isBefore(Instant.now().plusSeconds(2));
    // session.maxAge defaults to 7d: "absolute lifetime of a login".
    assertThat(expiresAt).isAfter(loggedInAt.plusSeconds(7 * 86400 - 60)).isBefore(loggedInAt.plusSeconds(7 * 86400 + 60));
    assertThat(answer.body()).doesNotContain("token").doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}");
    assertThat(body.fieldNames()).contains("user", "loggedInAt", "expiresAt");
  }

  // "No usable session → 401."
  @Test
  void withoutASessionTheSessionEndpointAnswers401ProblemJson() {
    assertProblem(stack.browser().get("/auth/session"), 401);
  }

  // "POST /auth/logout (CSRF header required)"
  @Test
  void logoutWithoutTheCsrfHeaderIsRefusedAndTheSessionStays() {
    Http browser = stack.login(ada);
    Http.Answer answer = browser.postJson("/auth/logout", new JsonObject());
    assertProblem(answer, 403);
    assertProblem(browser.postJson("/auth/logout", new JsonObject(), "X-CSRF-Token", "wrong"), 403);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // "→ 204; cookie cleared; ... that session's cookie, replayed later, is refused (401) everywhere"
  @Test
  void logoutAnswers204ClearsTheCookieAndTheReplayedCookieIsRefusedEverywhere() {
    Http browser = stack.login(ada);
    Http stolen = browser.copy();
    Http.Answer answer = browser.postJsonCsrf("/auth/logout", new JsonObject());
    assertThat(answer.status()).isEqualTo(204);
    assertThat(answer.cookieAttributes("vestibule")).containsEntry("max-age", "0");
    assertThat(browser.jar).doesNotContainKey("vestibule");
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);

    assertProblem(stolen.get("/auth/session"), 401);
    int forwardedBefore = stack.upstream.received.size();
    assertProblem(stolen.get("/api/me", "Accept", "application/json"), 401);
    assertThat(stack.upstream.received).hasSize(forwardedBefore);
  }

  // "An API call gets 401 with members "login": "/login?returnTo=..."" (no session on a required route)
  @Test
  void anApiCallWithoutASessionGets401AndIsNotForwarded() {
    int forwardedBefore = stack.upstream.received.size();
    Http.Answer answer = stack.browser().get("/api/notes?x=1", "Accept", "application/json");
    assertProblem(answer, 401);
    assertThat(stack.upstream.received).hasSize(forwardedBefore);
  }

  // "The upstream receives the request with Authorization: Bearer <access token> ..., replacing any
  // Authorization the client sent, ... and without Vestibule's own cookies"
  @Test
  void theUpstreamGetsTheBearerTokenInsteadOfTheClientsAuthorizationAndNoVestibuleCookies() {
    Http browser = stack.login(ada);
    browser.jar.put("theme", "dark");
    Http.Answer answer = browser.get("/api/me", "Authorization", "Bearer forged");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject headers = stack.upstream.last().getJsonObject("headers");
    String authorization = headers.getJsonArray("authorization").getString(0);
    assertThat(authorization).startsWith("Bearer eyJ").isNotEqualTo("Bearer forged");
    assertThat(headers.getJsonArray("authorization")).hasSize(1);
    String cookie = headers.containsKey("cookie") ? headers.getJsonArray("cookie").encode() : "";
    assertThat(cookie).doesNotContain("vestibule");
    assertThat(stack.upstream.last().getString("uri")).isEqualTo("/v1/me");
  }

  // "CSRF: unsafe methods ... need header X-CSRF-Token equal to the vestibule-csrf cookie ... Missing or wrong
  // → 403, nothing forwarded."
  @Test
  void anUnsafeRequestWithoutOrWithAWrongCsrfHeaderGets403AndNothingIsForwarded() {
    Http browser = stack.login(ada);
    int forwardedBefore = stack.upstream.received.size();
    assertProblem(browser.postJson("/api/notes", new JsonObject().put("text", "x")), 403);
    assertProblem(browser.postJson("/api/notes", new JsonObject().put("text", "x"), "X-CSRF-Token", "wrong"), 403);
    assertProblem(browser.send("DELETE", "/api/notes/1", null, null), 403);
    assertProblem(browser.send("PUT", "/api/notes/1", "application/json", "{}"), 403);
    assertProblem(browser.send("PATCH", "/api/notes/1", "application/json", "{}"), 403);
    assertThat(stack.upstream.received).hasSize(forwardedBefore);

    Http.Answer ok = browser.postJsonCsrf("/api/notes", new JsonObject().put("text", "x"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(stack.upstream.last().getString("method")).isEqualTo("POST");
  }

  // "The token is bound to the session: another session's token, even with its own matching cookie, is refused."
  @Test
  void anotherSessionsCsrfTokenWithItsOwnMatchingCookieIsRefused() {
    Http mine = stack.login(ada);
    Http other = stack.login(ada);
    assertThat(other.csrf()).isNotEqualTo(mine.csrf());
    mine.jar.put("vestibule-csrf", other.csrf());
    int forwardedBefore = stack.upstream.received.size();
    assertProblem(mine.postJson("/api/notes", new JsonObject(), "X-CSRF-Token", other.csrf()), 403);
    assertThat(stack.upstream.received).hasSize(forwardedBefore);
  }

  // "vestibule-csrf cookie (set at login, Path=/, not HttpOnly)"
  @Test
  void loginSetsAReadableCsrfCookieOnPathSlash() {
    Http.Answer answer = login(stack.browser(), ada.email(), ada.password());
    var attributes = answer.cookieAttributes("vestibule-csrf");
    assertThat(attributes).isNotNull().containsEntry("path", "/").doesNotContainKey("httponly");
  }

  // "A browser navigation (Sec-Fetch-Mode: navigate, or GET with Accept: text/html) gets 302 to the login page
  // with returnTo (the original path and query)." (applies when no session is usable)
  @Test
  void aBrowserNavigationWithoutSessionIsSentToTheLoginPageWithReturnTo() {
    Http.Answer answer = stack.browser().get("/api/notes?tab=mine", "Accept", "text/html");
    assertThat(answer.status()).isEqualTo(302);
    assertThat(answer.header("Location")).isEqualTo("/login?returnTo=" + Http.enc("/api/notes?tab=mine"));
  }

  // "that session's cookie, replayed later, is refused (401) everywhere": the identity endpoints too.
  @Test
  void aLoggedOutCookieIsRefusedOnTheIdentityEndpointsToo() {
    Http browser = stack.login(ada);
    Http stolen = browser.copy();
    assertThat(browser.postJsonCsrf("/auth/logout", new JsonObject()).status()).isEqualTo(204);
    assertProblem(stolen.get("/auth/api-keys"), 401);
    assertProblem(stolen.postJsonCsrf("/auth/api-keys/new-token", new JsonObject().put("name", "after-logout")), 401);
    assertProblem(stolen.postJsonCsrf("/auth/mfa", new JsonObject().put("enabled", true)), 401);
  }

  // Logout ends "that session" only: the user's other logins stay.
  @Test
  void logoutEndsOnlyThatSession() {
    Http first = stack.login(ada);
    Http second = stack.login(ada);
    assertThat(first.postJsonCsrf("/auth/logout", new JsonObject()).status()).isEqualTo(204);
    assertThat(second.get("/auth/session").status()).isEqualTo(200);
    assertThat(second.get("/api/me").status()).isEqualTo(200);
  }

  // §4 "Any tampered ... cookie means "no session": 401 or guest": a guest with a broken cookie can still log in
  // (no CSRF asked, since no session exists).
  @Test
  void aBrowserWithABrokenCookieIsAGuestAndCanLogIn() {
    Http browser = stack.browser();
    browser.jar.put("vestibule", "broken-cookie-value");
    Http.Answer answer = login(browser, ada.email(), ada.password());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // §4 "carries its own issued-at and expiry, enforced on the server, not only by the cookie's Max-Age": the
  // cookie's Max-Age is the login's lifetime (maxAge: 7d by default).
  @Test
  void theSessionCookieLivesAsLongAsTheLogin() {
    Http.Answer answer = login(stack.browser(), ada.email(), ada.password());
    long maxAge = Long.parseLong(answer.cookieAttributes("vestibule").get("max-age"));
    assertThat(maxAge).isBetween(7 * 86400L - 60, 7 * 86400L);
  }

  // A second login in the same browser replaces the session (a fresh csrf token bound to the new session).
  @Test
  void loggingInAgainReplacesTheSessionAndItsCsrfToken() {
    Http browser = stack.login(ada);
    String oldCsrf = browser.csrf();
    assertThat(login(browser, ada.email(), ada.password()).status()).isEqualTo(200);
    assertThat(browser.csrf()).isNotEqualTo(oldCsrf);
    assertProblem(browser.postJson("/api/notes", new JsonObject(), "X-CSRF-Token", oldCsrf), 403);
    assertThat(browser.postJsonCsrf("/api/notes", new JsonObject()).status()).isEqualTo(200);
  }

  private static Instant instant(Object value) {
    if (value instanceof Number n) {
      long v = n.longValue();
      return v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
    }
    return OffsetDateTime.parse(value.toString()).toInstant();
  }
}
