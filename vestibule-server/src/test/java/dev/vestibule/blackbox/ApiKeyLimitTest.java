package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

/** SPEC §7 "only failed attempts are rate limited" for {@code auth: apiKey:<privilege>} routes, default limits. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeyLimitTest extends DefaultStackTest {
  static String key;

  @BeforeAll
  static void start() {
    Stack.User owner = stack.register("Machine");
    Http.Answer created = owner.browser().postJsonCsrf("/auth/api-keys/new-token",
        new JsonObject().put("name", "busy").put("privilege", "demo"));
    assertThat(created.status()).isEqualTo(201);
    key = created.json().getString("rawApiKey");
  }

  // Successful calls are not limited: a busy machine client may call many times a minute.
  @Test
  @Order(1)
  void manySuccessfulCallsAreNeverLimited() {
    for (int i = 0; i < 60; i++) {
      Http.Answer answer = stack.browser().get("/m2m/demo/ping", "X-API-KEY", key);
      assertThat(answer.status()).as("call %d: %s", i, answer).isEqualTo(200);
    }
  }

  // (The SPEC names no budget for key guesses; the gateway answers 429 after 50 unknown keys from one IP.)
  // A caller guessing keys is limited: 429 with Retry-After (§6 "429 with Retry-After").
  @Test
  @Order(2)
  void guessingKeysIsLimitedWith429AndRetryAfter() {
    Http.Answer last = null;
    for (int i = 0; i < 200; i++) {
      last = stack.browser().get("/m2m/demo/ping", "X-API-KEY", "vst_guess_" + i + "_0123456789abcdef");
      if (last.status() == 429) break;
      assertProblem(last, 401);
    }
    assertProblem(last, 429);
    assertThat(last.header("Retry-After")).isNotNull();
  }

  // "only failed attempts are rate limited": the genuine key keeps working while guesses from the same
  // address are refused.
  @Test
  @Order(3)
  void theGenuineKeyStillWorksWhileGuessesAreLimited() {
    assertThat(stack.browser().get("/m2m/demo/ping", "X-API-KEY", "vst_guess_more_0123456789abcdef").status()).isEqualTo(429);
    Http.Answer answer = stack.browser().get("/m2m/demo/ping", "X-API-KEY", key);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
  }
}
