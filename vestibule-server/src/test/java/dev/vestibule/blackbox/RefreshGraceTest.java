package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6 "reuse of a rotated token after refresh.grace revokes that token family (the user's other logins
 * stay); within it, it is not treated as theft", with {@code refresh.grace: 2s}, over {@code /oauth/token}.
 */
class RefreshGraceTest {
  @TempDir static Path folder;
  static Stack stack;
  static Stack.User ada;

  @BeforeAll
  static void start() {
    stack = Stack.in(folder).section("refresh:\n  grace: 2s\n").start();
    ada = stack.register("Ada");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void reusingARotatedTokenAfterTheGraceRevokesItsFamilyButNotTheUsersOtherLogins() {
    String otherLogin = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    String original = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    String current = OAuth.refresh(stack, original).json().getString("refresh_token");
    Mail.pause(3_000);

    assertOAuthError(OAuth.refresh(stack, original), 400, "invalid_grant");
    // the whole family is revoked: its current token too
    assertOAuthError(OAuth.refresh(stack, current), 400, "invalid_grant");
    // the user's other logins stay
    assertThat(OAuth.refresh(stack, otherLogin).status()).isEqualTo(200);
    assertThat(ada.browser().get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void withinTheGraceTheRotatedTokenStillAnswersWithTheCurrentOne() {
    String original = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    String current = OAuth.refresh(stack, original).json().getString("refresh_token");
    Http.Answer late = OAuth.refresh(stack, original);
    assertThat(late.status()).isEqualTo(200);
    assertThat(late.json().getString("refresh_token")).isEqualTo(current);
    assertThat(OAuth.refresh(stack, current).status()).isEqualTo(200);
  }

  // After the grace, a token rotated twice: its reuse revokes the family even after further rotations.
  @Test
  void reusingAnOlderGenerationAfterTheGraceAlsoRevokesTheFamily() {
    String first = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    String second = OAuth.refresh(stack, first).json().getString("refresh_token");
    Mail.pause(2_500);
    JsonObject third = OAuth.refresh(stack, second).json();
    Mail.pause(2_500);
    assertOAuthError(OAuth.refresh(stack, first), 400, "invalid_grant");
    assertOAuthError(OAuth.refresh(stack, third.getString("refresh_token")), 400, "invalid_grant");
  }
}
