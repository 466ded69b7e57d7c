package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertNoSecrets;
import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 "Errors are application/problem+json (RFC 9457) with type, title, status, detail ...; the /oauth/*
 * endpoints answer errors as RFC 6749 says ({"error": ...}). Never a stack trace, never a token."
 */
class ProblemShapeTest extends DefaultStackTest {
  @Test
  void malformedJsonOnTheIdentityEndpointsIsA400Problem() {
    for (String path : new String[] {"/auth/login", "/auth/register", "/auth/password/forgot", "/auth/password/reset",
        "/auth/magic-link", "/auth/mfa/verify"}) {
      Http.Answer answer = stack.browser().send("POST", path, "application/json", "{\"email\": ");
      assertThat(answer.status()).as(path + ": " + answer).isEqualTo(400);
      assertProblem(answer, 400);
    }
  }

  @Test
  void aJsonArrayOrWrongTypesAreA400ProblemNotA500() {
    Http.Answer array = stack.browser().send("POST", "/auth/login", "application/json", "[1,2]");
    assertProblem(array, 400);
    Http.Answer types = stack.browser().postJson("/auth/register",
        new JsonObject().put("name", 42).put("email", true).put("password", new JsonObject()));
    assertThat(types.status()).as(types.toString()).isEqualTo(400);
    assertProblem(types, 400);
  }

  @Test
  void aLoginWithoutPasswordIsAClientErrorProblem() {
    Http.Answer answer = stack.browser().postJson("/auth/login", new JsonObject().put("email", "a@example.com"));
    assertThat(answer.status()).isIn(400, 401);
    assertProblem(answer, answer.status());
  }

  // RFC 7009 §2.2.1 / RFC 6749 §5.2: a revocation request without token is invalid_request.
  @Test
  void revokingWithoutATokenIsAnOAuthInvalidRequest() {
    Http.Answer answer = stack.browser().postForm("/oauth/revoke", Map.of("client_id", "web"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().getString("error")).isEqualTo("invalid_request");
    assertNoSecrets(answer);
  }

  @Test
  void oauthErrorsAreNotProblemJson() {
    Http.Answer answer = OAuth.refresh(stack, "nope");
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.json().getString("error")).isEqualTo("invalid_grant");
  }
}
