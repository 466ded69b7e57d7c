package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §2 "trustedProxies: []  # ... from anyone else it [X-Forwarded-For] is ignored (rate limits, IP rules)". */
class LoginLimitUntrustedTest {
  @TempDir static Path folder;
  static Stack stack;

  @BeforeAll
  static void start() {
    stack = Stack.in(folder).start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void anUntrustedXForwardedForDoesNotEscapeTheLimit() {
    for (int i = 0; i < 10; i++) {
      assertProblem(stack.browser().postJson("/auth/login",
          new JsonObject().put("email", Stack.freshEmail("guess")).put("password", "wrong password"),
          "X-Forwarded-For", "198.51.100." + (i + 1)), 401);
    }
    Http.Answer answer = stack.browser().postJson("/auth/login",
        new JsonObject().put("email", Stack.freshEmail("guess")).put("password", "wrong password"),
        "X-Forwarded-For", "198.51.100.200");
    assertProblem(answer, 429);
    assertThat(answer.header("Retry-After")).isNotNull();
  }
}
