package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertOAuthError;
import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §7 {@code POST /auth/password/forgot} and {@code /auth/password/reset}, mails through real SMTP. */
class PasswordResetTest extends DefaultStackTest {
  static final String NEW_PASSWORD = "a brand new passphrase 42";
  static Pattern link;

  @BeforeAll
  static void start() {
    link = Pattern.compile(Pattern.quote("http://127.0.0.1:" + stack.port() + "/reset-password?token=") + "([A-Za-z0-9_%.~-]+)");
  }

  private static Http.Answer forgot(Http browser, String email) {
    return browser.postJson("/auth/password/forgot", new JsonObject().put("email", email));
  }

  private static Http.Answer reset(Http browser, String token, String password) {
    return browser.postJson("/auth/password/reset", new JsonObject().put("token", token).put("password", password));
  }

  // "POST /auth/password/forgot {email} → 202 always (no account enumeration)"
  @Test
  void forgotAnswers202ForAKnownAndAnUnknownAddressAlikeAndMailsOnlyTheKnownOne() {
    Stack.User user = stack.register("Known");
    String nobody = Stack.freshEmail("nobody");
    Http.Answer known = forgot(stack.browser(), user.email());
    Http.Answer unknown = forgot(stack.browser(), nobody);
    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(unknown.body()).isEqualTo(known.body());
    assertThat(unknown.headers().keySet()).isEqualTo(known.headers().keySet());
    assertThat(stack.mail.countSettled(user.email(), 1)).isEqualTo(1);
    assertThat(stack.mail.count(nobody)).isZero();
  }

  // "a mail with a single-use link …/reset-password?token=… valid 30 minutes."
  @Test
  void theMailCarriesAResetLinkOnThePublicUrlValid30Minutes() {
    Stack.User user = stack.register("Linked");
    assertThat(forgot(stack.browser(), user.email()).status()).isEqualTo(202);
    String token = stack.mail.find(user.email(), 1, link);
    assertThat(token).isNotBlank();
    assertThat(stack.mail.text(user.email(), 1)).contains("30 minutes");
  }

  // "POST /auth/password/reset {token, password} → 204; every session and refresh token of that user ends."
  @Test
  void resettingAnswers204AndEndsEverySessionAndRefreshTokenOfThatUser() {
    Stack.User user = stack.register("Reset");
    Http otherTab = stack.login(user);
    String refreshToken = OAuth.tokens(stack, user.email(), user.password()).getString("refresh_token");
    Stack.User bystander = stack.register("Bystander");

    assertThat(forgot(stack.browser(), user.email()).status()).isEqualTo(202);
    String token = stack.mail.find(user.email(), 1, link);
    Http.Answer answer = reset(stack.browser(), token, NEW_PASSWORD);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(204);

    assertProblem(user.browser().get("/auth/session"), 401);
    assertProblem(otherTab.get("/auth/session"), 401);
    assertOAuthError(OAuth.refresh(stack, refreshToken), 400, "invalid_grant");
    assertThat(bystander.browser().get("/auth/session").status()).isEqualTo(200);

    assertProblem(stack.browser().postJson("/auth/login",
        new JsonObject().put("email", user.email()).put("password", user.password())), 401);
    assertThat(stack.browser().postJson("/auth/login",
        new JsonObject().put("email", user.email()).put("password", NEW_PASSWORD)).status()).isEqualTo(200);
  }

  // "a single-use link"
  @Test
  void theResetTokenWorksOnlyOnce() {
    Stack.User user = stack.register("Once");
    forgot(stack.browser(), user.email());
    String token = stack.mail.find(user.email(), 1, link);
    assertThat(reset(stack.browser(), token, NEW_PASSWORD).status()).isEqualTo(204);
    Http.Answer again = reset(stack.browser(), token, "yet another passphrase 43");
    assertThat(again.status()).isBetween(400, 499);
    assertProblem(again, again.status());
    assertThat(stack.browser().postJson("/auth/login",
        new JsonObject().put("email", user.email()).put("password", NEW_PASSWORD)).status()).isEqualTo(200);
  }

  @Test
  void aMadeUpTokenIsRefused() {
    Http.Answer answer = reset(stack.browser(), "not-a-token-at-all", NEW_PASSWORD);
    assertThat(answer.status()).isBetween(400, 499);
    assertProblem(answer, answer.status());
  }

  // The same password rules as registration: a weak new password is refused and the token stays usable.
  @Test
  void aWeakNewPasswordIsRefusedWithAFieldError() {
    Stack.User user = stack.register("Weak");
    forgot(stack.browser(), user.email());
    String token = stack.mail.find(user.email(), 1, link);
    var problem = assertProblem(reset(stack.browser(), token, "short"), 400);
    assertThat(problem.getJsonArray("errors").encode()).contains("password");
  }
}
