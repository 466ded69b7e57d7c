package dev.vestibule.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls to the built-in identity's RFC 6749 endpoints, as another gateway or API would make them. */
final class OAuth {
  private OAuth() {}

  static Http.Answer password(Stack stack, String username, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", username);
    form.put("password", password);
    form.put("client_id", "web");
    return stack.browser().postForm("/oauth/token", form);
  }

  static Http.Answer refresh(Stack stack, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", "web");
    return stack.browser().postForm("/oauth/token", form);
  }

  static Http.Answer revoke(Stack stack, String token) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("client_id", "web");
    return stack.browser().postForm("/oauth/revoke", form);
  }

  /** Tokens from a password grant that must succeed. */
  static JsonObject tokens(Stack stack, String username, String password) {
    Http.Answer answer = password(stack, username, password);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  /** The claims of a JWT, without checking its signature. */
  static JsonObject claims(String jwt) {
    String[] parts = jwt.split("\\.");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])));
  }

  static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0])));
  }
}
