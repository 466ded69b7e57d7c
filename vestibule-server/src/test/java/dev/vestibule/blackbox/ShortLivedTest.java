package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertOAuthError;
import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2 identity lifetimes {@code magicLinkTtl}, {@code resetTtl}, {@code mfaCodeTtl}, {@code accessTokenTtl},
 * {@code refreshTokenTtl}, set short here, and §6 "single use, short-lived".
 */
class ShortLivedTest {
  @TempDir static Path folder;
  static Stack stack;
  static String origin;

  @BeforeAll
  static void start() {
    stack = Stack.in(folder)
        .identity("magicLinkTtl: 2s").identity("resetTtl: 2s").identity("mfaCodeTtl: 2s")
        .identity("accessTokenTtl: 90s").identity("refreshTokenTtl: 2s")
        .start();
    origin = "http://127.0.0.1:" + stack.port();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aMagicLinkFollowedAfterItsLifetimeDoesNotLogIn() {
    Stack.User user = stack.register("Slow");
    assertThat(stack.browser().postJson("/auth/magic-link", new JsonObject().put("email", user.email())).status())
        .isEqualTo(202);
    String token = stack.mail.find(user.email(), 1,
        Pattern.compile(Pattern.quote(origin + "/auth/magic-link/verify?token=") + "([A-Za-z0-9_%.~-]+)"));
    Mail.pause(3_000);
    Http browser = stack.browser();
    Http.Answer answer = browser.get("/auth/magic-link/verify?token=" + Http.enc(token));
    assertThat(answer.status()).isNotEqualTo(302);
    assertThat(browser.jar).doesNotContainKey("vestibule");
  }

  @Test
  void aResetTokenUsedAfterItsLifetimeIsRefusedAndThePasswordStays() {
    Stack.User user = stack.register("Late");
    assertThat(stack.browser().postJson("/auth/password/forgot", new JsonObject().put("email", user.email())).status())
        .isEqualTo(202);
    String token = stack.mail.find(user.email(), 1,
        Pattern.compile(Pattern.quote(origin + "/reset-password?token=") + "([A-Za-z0-9_%.~-]+)"));
    Mail.pause(3_000);
    Http.Answer answer = stack.browser().postJson("/auth/password/reset",
        new JsonObject().put("token", token).put("password", "a brand new passphrase 42"));
    assertThat(answer.status()).isBetween(400, 499);
    assertProblem(answer, answer.status());
    assertThat(user.browser().get("/auth/session").status()).isEqualTo(200);
    stack.login(user);
  }

  @Test
  void anMfaCodeUsedAfterItsLifetimeIsRefused() {
    Stack.User user = stack.register("Mfa");
    assertThat(user.browser().postJsonCsrf("/auth/mfa", new JsonObject().put("enabled", true)).status()).isBetween(200, 204);
    Http browser = stack.browser();
    assertThat(browser.postJson("/auth/login", new JsonObject().put("email", user.email()).put("password", user.password()))
        .status()).isEqualTo(202);
    String code = stack.mail.find(user.email(), 1, MfaTest.CODE);
    Mail.pause(3_000);
    assertThat(browser.postJson("/auth/mfa/verify", new JsonObject().put("code", code)).status()).isEqualTo(401);
    assertThat(browser.jar).doesNotContainKey("vestibule");
  }

  @Test
  void tokenLifetimesFollowTheConfig() {
    Stack.User user = stack.register("Tokens");
    JsonObject tokens = OAuth.tokens(stack, user.email(), user.password());
    assertThat(tokens.getLong("expires_in")).isBetween(85L, 90L);
    JsonObject claims = OAuth.claims(tokens.getString("access_token"));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(90);
    Mail.pause(3_000);
    assertOAuthError(OAuth.refresh(stack, tokens.getString("refresh_token")), 400, "invalid_grant");
  }
}
