package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** SPEC §2 "trustedProxies: []  # ... from anyone else it [X-Forwarded-For] is ignored (rate limits, IP rules)". */
class LoginLimitUntrustedTest extends DefaultStackTest {
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
