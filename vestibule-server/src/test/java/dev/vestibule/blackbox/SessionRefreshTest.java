package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3 proxied routes with the built-in identity: refresh before forwarding, upstream 401 → one refresh and
 * one retry, the pre-refresh cookie within {@code refresh.grace}, and §6 reuse after the grace. Short settings:
 * {@code accessTokenTtl: 4s}, {@code refresh.before: 2s}, {@code refresh.grace: 3s}.
 */
class SessionRefreshTest {
  @TempDir static Path folder;
  static Stack stack;
  static final Set<String> refused = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    stack = Stack.in(folder).identity("accessTokenTtl: 4s").section("refresh:\n  before: 2s\n  grace: 3s\n").start();
    stack.upstream.acceptsToken = token -> !refused.contains(token);
  }

  @BeforeEach
  void acceptAll() {
    refused.clear();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static String bearerSeen() {
    return stack.upstream.last().getJsonObject("headers").getJsonArray("authorization").getString(0).substring(7);
  }

  // "Access token with less than refresh.before left → refreshed before forwarding."; "Every response that
  // carries newer tokens sets the new cookie."
  @Test
  void aTokenCloseToExpiryIsRefreshedBeforeForwardingAndTheNewCookieIsSet() {
    Stack.User user = stack.register("Early");
    Http browser = user.browser();
    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    String first = bearerSeen();
    Mail.pause(2_500);
    Http.Answer answer = browser.get("/api/me");
    assertThat(answer.status()).isEqualTo(200);
    String second = bearerSeen();
    assertThat(second).isNotEqualTo(first);
    assertThat(OAuth.claims(second).getLong("exp")).isGreaterThan(OAuth.claims(first).getLong("exp"));
    assertThat(answer.setCookie("vestibule")).isNotNull();
  }

  // "A request that arrives with the pre-refresh cookie within refresh.grace gets the refreshed tokens"
  @Test
  void thePreRefreshCookieWithinTheGraceGetsTheRefreshedTokens() {
    Stack.User user = stack.register("Late");
    Http browser = user.browser();
    Http stale = browser.copy();
    Mail.pause(2_500);
    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    String refreshed = bearerSeen();
    Http.Answer late = stale.get("/api/me");
    assertThat(late.status()).isEqualTo(200);
    assertThat(bearerSeen()).isEqualTo(refreshed);
    assertThat(late.setCookie("vestibule")).isNotNull();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // "Upstream 401 → one refresh (even if the token looked fresh by the gateway's clock), one retry (body replayed
  // ...); a second 401 goes back to the client as is, with the refreshed cookie."
  @Test
  void anUpstream401CausesOneRefreshAndOneRetryWithTheBodyReplayed() {
    Stack.User user = stack.register("Retry");
    Http browser = user.browser();
    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    String first = bearerSeen();
    refused.add(first);
    int before = stack.upstream.received.size();
    Http.Answer answer = browser.postJsonCsrf("/api/notes", new JsonObject().put("text", "kept"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(stack.upstream.received.size() - before).isEqualTo(2);
    assertThat(bearerSeen()).isNotEqualTo(first);
    assertThat(stack.upstream.last().getString("body")).isEqualTo(new JsonObject().put("text", "kept").encode());
    assertThat(answer.setCookie("vestibule")).isNotNull();
  }

  @Test
  void aSecondUpstream401GoesBackToTheClientWithTheRefreshedCookie() {
    Stack.User user = stack.register("Twice");
    Http browser = user.browser();
    stack.upstream.acceptsToken = token -> false;
    try {
      int before = stack.upstream.received.size();
      Http.Answer answer = browser.get("/api/me");
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
      assertThat(stack.upstream.received.size() - before).isEqualTo(2);
      assertThat(answer.setCookie("vestibule")).isNotNull();
      assertThat(answer.cookieAttributes("vestibule")).doesNotContainEntry("max-age", "0");
    } finally {
      stack.upstream.acceptsToken = token -> !refused.contains(token);
    }
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // §6 "reuse of a rotated token after refresh.grace revokes that token family"; §3 "Refresh rejected by the
  // provider → session ended, cookie cleared. An API call gets 401 with members "login": "/login?returnTo=...""
  @Test
  void thePreRefreshCookieAfterTheGraceEndsThatLoginOnly() {
    Stack.User user = stack.register("Stolen");
    Http otherLogin = stack.login(user);
    Http browser = user.browser();
    Http stale = browser.copy();
    Mail.pause(2_500);
    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    Mail.pause(4_500);
    Http.Answer replay = stale.get("/api/notes?x=1", "Accept", "application/json");
    JsonObject problem = assertProblem(replay, 401);
    assertThat(problem.getString("login")).isEqualTo("/login?returnTo=" + Http.enc("/api/notes?x=1"));
    assertThat(replay.cookieAttributes("vestibule")).containsEntry("max-age", "0");
    // the family is revoked: the current cookie of that login cannot refresh either
    Mail.pause(500);
    assertThat(browser.get("/api/me", "Accept", "application/json").status()).isEqualTo(401);
    // the user's other login stays
    assertThat(otherLogin.get("/api/me").status()).isEqualTo(200);
  }

  // §3 GET /auth/session: "loggedInAt" and "expiresAt" are the login's, not the last refresh's (maxAge is absolute).
  @Test
  void refreshingDoesNotMoveLoggedInAtOrExpiresAt() {
    Stack.User user = stack.register("Times");
    Http browser = user.browser();
    JsonObject before = browser.get("/auth/session").json();
    Mail.pause(2_500);
    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    JsonObject after = browser.get("/auth/session").json();
    assertThat(after.getValue("loggedInAt")).isEqualTo(before.getValue("loggedInAt"));
    assertThat(after.getValue("expiresAt")).isEqualTo(before.getValue("expiresAt"));
  }
}
