package dev.vestibule.token;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Reads a token endpoint's answer (RFC 6749 §5.1 and §5.2) into a token set or the right failure. */
final class TokenResponses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private TokenResponses() {}

  static TokenSet read(int status, byte[] body, TokenSet previous, Instant sentAt) {
    if (status >= 500 || status == 408 || status == 429) {
      throw new ProviderUnavailableException("token endpoint answered " + status, null);
    }
    Map<String, Object> json = parse(body);
    if (status != 200) {
      if (status >= 400 && status < 500) {
        String error = json == null ? null : string(json, "error");
        throw new TokenRejectedException(error == null ? "http_" + status : error,
            json == null ? null : string(json, "error_description"));
      }
      throw new ProviderUnavailableException("token endpoint answered " + status, null);
    }
    if (json == null || string(json, "access_token") == null) {
      throw new ProviderUnavailableException("token endpoint answered 200 without an access_token", null);
    }
    String accessToken = string(json, "access_token");
    Optional<String> refreshToken = Optional.ofNullable(string(json, "refresh_token"))
        .or(() -> previous == null ? Optional.empty() : previous.refreshToken());
    Optional<String> idToken = Optional.ofNullable(string(json, "id_token"))
        .or(() -> previous == null ? Optional.empty() : previous.idToken());
    Optional<Instant> expiresAt = expiresIn(json).map(sentAt::plusSeconds).or(() -> JwtClaims.expiry(accessToken));
    return new TokenSet(accessToken, refreshToken, idToken, expiresAt);
  }

  private static Optional<Long> expiresIn(Map<String, Object> json) {
    Object value = json.get("expires_in");
    if (value instanceof Number n) return Optional.of(n.longValue());
    if (value instanceof String s) {
      try {
        return Optional.of(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> parse(byte[] body) {
    if (body == null || body.length == 0) return null;
    try {
      return JSON.readValue(body, MAP);
    } catch (IOException e) {
      return null;
    }
  }

  private static String string(Map<String, Object> json, String key) {
    Object value = json.get(key);
    return value instanceof String s && !s.isEmpty() ? s : null;
  }
}
