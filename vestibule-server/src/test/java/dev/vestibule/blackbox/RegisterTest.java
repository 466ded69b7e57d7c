package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** SPEC §7 {@code POST /auth/register}, §6 "Email unique, case-insensitive", default limits, from 127.0.0.1. */
class RegisterTest extends DefaultStackTest {
  /** One registration attempt; on a 429 (SPEC default: 5 a minute per IP) waits Retry-After and tries again. */
  private static Http.Answer register(Http browser, String name, String email, String password) {
    JsonObject body = new JsonObject().put("name", name).put("email", email).put("password", password);
    Http.Answer answer = browser.postJson("/auth/register", body);
    if (answer.status() == 429) {
      Stack.waitRetryAfter(answer);
      answer = browser.postJson("/auth/register", body);
    }
    return answer;
  }

  // "POST /auth/register {name, email, password} → 201 {"user":{id,name,email}}, logged in."
  @Test
  void registeringAnswers201WithIdNameAndEmailAndLogsIn() {
    Http browser = stack.browser();
    String email = Stack.freshEmail("grace");
    Http.Answer answer = register(browser, "Grace Hopper", email, Stack.PASSWORD);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    JsonObject user = answer.json().getJsonObject("user");
    assertThat(user.getValue("id")).isNotNull();
    assertThat(user.getString("name")).isEqualTo("Grace Hopper");
    assertThat(user.getString("email")).isEqualTo(email);
    assertThat(answer.body()).doesNotContain(Stack.PASSWORD).doesNotContain("hash").doesNotContain("argon");
    assertThat(browser.csrf()).isNotBlank();
    Http.Answer session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("email")).isEqualTo(email);
    // and the account works for a later login
    Http later = stack.browser();
    assertThat(later.postJson("/auth/login", new JsonObject().put("email", email).put("password", Stack.PASSWORD))
        .status()).isEqualTo(200);
  }

  // "Weak password (under 12 characters, or among common ones) ... → 400 problem+json with errors: [{field, message}]."
  @Test
  void aPasswordUnder12CharactersIsRefusedWithAFieldError() {
    Http.Answer answer = register(stack.browser(), "Short", Stack.freshEmail("short"), "elevenchars");
    assertFieldError(answer, "password");
  }

  @Test
  void aCommonPasswordIsRefusedWithAFieldError() {
    Http.Answer answer = register(stack.browser(), "Common", Stack.freshEmail("common"), "password1234");
    assertFieldError(answer, "password");
  }

  // "... or bad email → 400 problem+json with errors: [{field, message}]."
  @Test
  void aBadEmailIsRefusedWithAFieldError() {
    Http.Answer answer = register(stack.browser(), "Bad", "not-an-email", Stack.PASSWORD);
    assertFieldError(answer, "email");
  }

  // 12 characters is not "under 12 characters".
  @Test
  void aTwelveCharacterUncommonPasswordIsAccepted() {
    Http.Answer answer = register(stack.browser(), "Twelve", Stack.freshEmail("twelve"), "qZ7!vR2#mK9p");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
  }

  // "Email taken → 409." and §6 "Email unique, case-insensitive."
  @Test
  void anEmailTakenInAnyLetterCaseAnswers409() {
    String email = Stack.freshEmail("dup");
    assertThat(register(stack.browser(), "First", email, Stack.PASSWORD).status()).isEqualTo(201);
    Http second = stack.browser();
    assertProblem(register(second, "Second", email, Stack.PASSWORD), 409);
    assertProblem(register(stack.browser(), "Third", email.toUpperCase(), Stack.PASSWORD), 409);
    assertThat(second.jar).doesNotContainKey("vestibule");
    // and the address logs in whatever its case
    assertThat(stack.browser().postJson("/auth/login",
        new JsonObject().put("email", email.toUpperCase()).put("password", Stack.PASSWORD)).status()).isEqualTo(200);
  }

  // "All JSON; all state-changing ones need the CSRF header once a session exists."
  @Test
  void registeringFromABrowserWithASessionNeedsTheCsrfHeader() {
    Stack.User user = stack.register("Holder");
    Http browser = user.browser();
    JsonObject body = new JsonObject().put("name", "Other").put("email", Stack.freshEmail("other"))
        .put("password", Stack.PASSWORD);
    assertProblem(browser.postJson("/auth/register", body), 403);
  }

  private static void assertFieldError(Http.Answer answer, String field) {
    JsonObject problem = assertProblem(answer, 400);
    JsonArray errors = problem.getJsonArray("errors");
    assertThat(errors).as(problem.encode()).isNotNull().isNotEmpty();
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")).toList()).contains(field);
    for (Object error : errors) assertThat(((JsonObject) error).getString("message")).isNotBlank();
  }
}
