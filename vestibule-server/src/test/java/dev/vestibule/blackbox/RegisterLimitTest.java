package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §2 {@code limits.register: 5/1m} (the default) and §6 "Rate limits on ... registration ... 429 with Retry-After". */
class RegisterLimitTest extends DefaultStackTest {
  @Test
  void theSixthRegistrationWithinAMinuteFromOneIpGets429WithRetryAfter() {
    List<Integer> statuses = new ArrayList<>();
    Http.Answer last = null;
    for (int i = 0; i < 6; i++) {
      last = stack.browser().postJson("/auth/register", new JsonObject().put("name", "N" + i)
          .put("email", Stack.freshEmail("flood")).put("password", Stack.PASSWORD));
      statuses.add(last.status());
    }
    assertThat(statuses.subList(0, 5)).containsOnly(201);
    assertProblem(last, 429);
    String retryAfter = last.header("Retry-After");
    assertThat(retryAfter).isNotNull();
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
  }
}
