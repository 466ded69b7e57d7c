package dev.vestibule.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

/** SPEC §3: "Errors are application/problem+json (RFC 9457) with type, title, status, detail". */
final class Problems {
  private Problems() {}

  static JsonObject assertProblem(Http.Answer answer, int status) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
    assertThat(answer.header("Content-Type")).as("content type of %s", answer).startsWith("application/problem+json");
    JsonObject problem = answer.json();
    assertThat(problem.containsKey("type")).as("type in %s", problem).isTrue();
    assertThat(problem.getString("title")).as("title in %s", problem).isNotBlank();
    assertThat(problem.getInteger("status")).as("status in %s", problem).isEqualTo(status);
    assertThat(problem.containsKey("detail")).as("detail in %s", problem).isTrue();
    assertNoSecrets(answer);
    return problem;
  }

  /** "Never a stack trace, never a token." */
  static void assertNoSecrets(Http.Answer answer) {
    assertThat(answer.body()).doesNotContain("at dev.vestibule").doesNotContain("Exception")
        .doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.");
  }

  static void assertOAuthError(Http.Answer answer, int status, String error) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.json().getString("error")).as("error of %s", answer).isEqualTo(error);
    assertNoSecrets(answer);
  }
}
