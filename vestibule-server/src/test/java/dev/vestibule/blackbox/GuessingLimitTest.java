package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6 "Rate limits on login, registration, reset and code verification (per IP and per account), 429 with
 * Retry-After." (MFA codes are covered per account in MfaTest.) Guessing reset or magic-link tokens from one address must hit a limit. A fresh
 * gateway per test, default limits.
 */
class GuessingLimitTest {
  static final int ATTEMPTS = 60;
  @TempDir Path folder;
  Stack stack;

  @BeforeEach
  void start() {
    stack = Stack.in(folder).start();
  }

  @AfterEach
  void stop() {
    stack.close();
  }

  private static Http.Answer firstLimited(List<Integer> statuses, java.util.function.IntFunction<Http.Answer> attempt) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Http.Answer answer = attempt.apply(i);
      statuses.add(answer.status());
      if (answer.status() == 429) return answer;
    }
    return null;
  }

  @Test
  void guessingResetTokensFromOneAddressIsLimited() {
    List<Integer> statuses = new ArrayList<>();
    Http.Answer limited = firstLimited(statuses, i -> stack.browser().postJson("/auth/password/reset",
        new JsonObject().put("token", "guessed-reset-token-" + i).put("password", "a brand new passphrase 42")));
    assertThat(limited).as("no 429 in %d guesses: %s", ATTEMPTS, statuses).isNotNull();
    assertProblem(limited, 429);
    assertThat(limited.header("Retry-After")).isNotNull();
  }

  @Test
  void guessingMagicLinkTokensFromOneAddressIsLimited() {
    List<Integer> statuses = new ArrayList<>();
    Http.Answer limited = firstLimited(statuses,
        i -> stack.browser().get("/auth/magic-link/verify?token=guessed-link-token-" + i));
    assertThat(limited).as("no 429 in %d guesses: %s", ATTEMPTS, statuses).isNotNull();
    assertThat(limited.header("Retry-After")).isNotNull();
  }
}
