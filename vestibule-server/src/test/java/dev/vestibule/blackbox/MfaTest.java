package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC §7 "MFA by e-mailed code" and §6 "MFA codes (7 digits) sent by e-mail over SMTP; single use". */
class MfaTest extends DefaultStackTest {
  static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{7})(?![0-9])");

  /** A registered user who turned MFA on; the registering browser is logged out afterwards. */
  private static Stack.User withMfa(String name) {
    Stack.User user = stack.register(name);
    Http.Answer on = user.browser().postJsonCsrf("/auth/mfa", new JsonObject().put("enabled", true));
    assertThat(on.status()).as(on.toString()).isBetween(200, 204);
    return user;
  }

  private static Http.Answer login(Http browser, Stack.User user) {
    return browser.postJson("/auth/login", new JsonObject().put("email", user.email()).put("password", user.password()));
  }

  private static Http.Answer verify(Http browser, String code) {
    return browser.postJson("/auth/mfa/verify", new JsonObject().put("code", code));
  }

  private static String code(Stack.User user, int mailNumber) {
    return stack.mail.find(user.email(), mailNumber, CODE);
  }

  // "a user with MFA on gets 202 {"mfaRequired":true} from login (and a short-lived challenge cookie) instead of
  // a session; a 7-digit code is mailed; POST /auth/mfa/verify {code} → 200 and the session."
  @Test
  void loginWithMfaOnGivesAChallengeAndTheMailedCodeGivesTheSession() {
    Stack.User user = withMfa("Mona");
    Http browser = stack.browser();
    Http.Answer first = login(browser, user);
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json()).isEqualTo(new JsonObject().put("mfaRequired", true));
    assertThat(first.setCookie("vestibule")).isNull();
    assertThat(browser.jar).doesNotContainKey("vestibule").isNotEmpty();
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
    assertThat(browser.get("/api/me", "Accept", "application/json").status()).isEqualTo(401);

    String code = code(user, 1);
    assertThat(code).hasSize(7);
    Http.Answer verified = verify(browser, code);
    assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
    assertThat(verified.cookieAttributes("vestibule")).containsKey("httponly");
    assertThat(browser.csrf()).isNotBlank();
    Http.Answer session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("email")).isEqualTo(user.email());
  }

  // "Wrong code → 401"; a wrong guess does not spend the challenge.
  @Test
  void aWrongCodeGets401AndTheRightOneStillWorksAfterIt() {
    Stack.User user = withMfa("Wren");
    Http browser = stack.browser();
    assertThat(login(browser, user).status()).isEqualTo(202);
    String code = code(user, 1);
    String wrong = code.equals("1234567") ? "7654321" : "1234567";
    assertProblem(verify(browser, wrong), 401);
    assertThat(browser.jar).doesNotContainKey("vestibule");
    assertThat(verify(browser, code).status()).isEqualTo(200);
  }

  // §6 "single use"
  @Test
  void aCodeWorksOnlyOnce() {
    Stack.User user = withMfa("Uno");
    Http browser = stack.browser();
    assertThat(login(browser, user).status()).isEqualTo(202);
    Http replay = browser.copy();
    String code = code(user, 1);
    assertThat(verify(browser, code).status()).isEqualTo(200);
    Http.Answer again = verify(replay, code);
    assertThat(again.status()).isEqualTo(401);
    assertThat(replay.jar).doesNotContainKey("vestibule");
  }

  // The code belongs to the challenge: no challenge cookie, no session.
  @Test
  void aCodeWithoutTheChallengeCookieGets401() {
    Stack.User user = withMfa("Nocookie");
    assertThat(login(stack.browser(), user).status()).isEqualTo(202);
    Http stranger = stack.browser();
    assertProblem(verify(stranger, code(user, 1)), 401);
    assertThat(stranger.jar).doesNotContainKey("vestibule");
  }

  // "too many → 429"; SPEC §2 "codes: 5/15m  # ... MFA ... verifications per account"; §6 "429 with Retry-After".
  @Test
  void tooManyWrongCodesGet429WithRetryAfterEvenForTheRightCode() {
    Stack.User user = withMfa("Guesser");
    Http browser = stack.browser();
    assertThat(login(browser, user).status()).isEqualTo(202);
    String code = code(user, 1);
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    Http.Answer last = null;
    for (int i = 0; i < 6; i++) {
      String wrong = String.format("%07d", (Integer.parseInt(code) + 1 + i) % 10_000_000);
      last = verify(browser, wrong);
      statuses.add(last.status());
    }
    // codes: 5/15m: five wrong codes are answered 401, the sixth attempt is limited.
    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
    assertProblem(last, 429);
    assertThat(last.header("Retry-After")).isNotNull();
    Http.Answer right = verify(browser, code);
    assertThat(right.status()).isEqualTo(429);
    assertThat(browser.jar).doesNotContainKey("vestibule");
  }

  // "POST /auth/mfa {enabled} turns it on or off for the logged-in user."
  @Test
  void turningMfaOffMakesLoginGiveTheSessionDirectly() {
    Stack.User user = withMfa("Toggle");
    Http.Answer off = user.browser().postJsonCsrf("/auth/mfa", new JsonObject().put("enabled", false));
    assertThat(off.status()).isBetween(200, 204);
    Http browser = stack.browser();
    Http.Answer answer = login(browser, user);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("user").getString("email")).isEqualTo(user.email());
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // "for the logged-in user"; "all state-changing ones need the CSRF header once a session exists."
  @Test
  void turningMfaOnNeedsASessionAndTheCsrfHeader() {
    assertProblem(stack.browser().postJson("/auth/mfa", new JsonObject().put("enabled", true)), 401);
    Stack.User user = stack.register("Csrf");
    assertProblem(user.browser().postJson("/auth/mfa", new JsonObject().put("enabled", true)), 403);
    Http browser = stack.browser();
    assertThat(login(browser, user).status()).isEqualTo(200);
  }

  // "(and a short-lived challenge cookie)": HttpOnly, and it lives no longer than the code (mfaCodeTtl: 10m).
  @Test
  void theChallengeCookieIsHttpOnlyAndShortLived() {
    Stack.User user = withMfa("Cookie");
    Http.Answer answer = login(stack.browser(), user);
    assertThat(answer.status()).isEqualTo(202);
    String line = answer.all("set-cookie").stream().filter(l -> !l.startsWith("vestibule=")).findFirst().orElse(null);
    assertThat(line).as("a challenge cookie").isNotNull();
    String name = line.substring(0, line.indexOf('='));
    var attributes = answer.cookieAttributes(name);
    assertThat(attributes).containsKey("httponly");
    assertThat(attributes.get("max-age")).as(line).isNotNull();
    assertThat(Long.parseLong(attributes.get("max-age"))).isBetween(1L, 600L);
  }

  // "Wrong credentials → 401" (§3) holds for a user with MFA on, and no code is mailed.
  @Test
  void aWrongPasswordForAnMfaUserIs401AndNoCodeIsMailed() {
    Stack.User user = withMfa("Nopass");
    Http browser = stack.browser();
    Http.Answer answer = browser.postJson("/auth/login",
        new JsonObject().put("email", user.email()).put("password", "not the password at all"));
    assertProblem(answer, 401);
    assertThat(answer.body()).doesNotContain("mfaRequired");
    assertThat(stack.mail.countSettled(user.email(), 1)).isZero();
  }

  // MFA is not bypassed through /oauth/token: "a user with MFA on gets ... instead of a session"; the password grant
  // (RFC 6749) has no way to carry the code, so it must not hand out tokens for that user.
  @Test
  void thePasswordGrantCannotBypassMfa() {
    Stack.User user = withMfa("Grant");
    Http.Answer answer = OAuth.password(stack, user.email(), user.password());
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().getString("error")).isEqualTo("invalid_grant");
    assertThat(answer.body()).doesNotContain("access_token");
  }
}
