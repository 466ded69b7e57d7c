package dev.vestibule.builtin;

import dev.vestibule.testing.Browser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Calls {@code /oauth/token} and {@code /oauth/revoke} of a gateway as another OAuth2 client would: forms, no cookies. */
final class OAuthCalls {
  private final Browser http;

  OAuthCalls(String base) {
    this.http = new Browser(base);
  }

  /** The password grant of client gw2, authenticated with HTTP Basic. */
  Browser.Response password(String email, String password) {
    return token(form("grant_type", "password", "username", email, "password", password), gw2Basic());
  }

  /** The refresh_token grant of client gw2, authenticated with HTTP Basic. */
  Browser.Response refresh(String refreshToken) {
    return token(form("grant_type", "refresh_token", "refresh_token", refreshToken), gw2Basic());
  }

  /** RFC 7009 revocation by client gw2. */
  Browser.Response revoke(String token) {
    return revoke(form("token", token, "token_type_hint", "refresh_token"), gw2Basic());
  }

  Browser.Response revoke(String form, String... headers) {
    return post("/oauth/revoke", form, headers);
  }

  Browser.Response token(String form, String... headers) {
    return post("/oauth/token", form, headers);
  }

  private Browser.Response post(String path, String form, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type";
    all[1] = "application/x-www-form-urlencoded";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.send("POST", path, HttpRequest.BodyPublishers.ofString(form), all);
  }

  static String[] gw2Basic() {
    return basic(BuiltinYaml.GW2, BuiltinYaml.GW2_SECRET);
  }

  /** An {@code Authorization: Basic} header, id and secret form-encoded first as RFC 6749 §2.3.1 says. */
  static String[] basic(String id, String secret) {
    String pair = encode(id) + ":" + encode(secret);
    return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))};
  }

  /** An x-www-form-urlencoded body from name, value pairs. */
  static String form(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) fields.put(pairs[i], pairs[i + 1]);
    return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
