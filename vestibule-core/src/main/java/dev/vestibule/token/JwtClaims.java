package dev.vestibule.token;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the claims of a JWT <em>without verifying it</em>. Only for what the gateway shows or schedules
 * (the user's display claims, when to refresh); never for an authorisation decision.
 */
public final class JwtClaims {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private JwtClaims() {}

  public static Optional<Map<String, Object>> peek(String token) {
    if (token == null) return Optional.empty();
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first < 1 || second < 0) return Optional.empty();
    try {
      byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
      return Optional.of(JSON.readValue(payload, MAP));
    } catch (RuntimeException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  public static Optional<Instant> expiry(String token) {
    return peek(token)
        .map(claims -> claims.get("exp"))
        .filter(Number.class::isInstance)
        .map(exp -> Instant.ofEpochSecond(((Number) exp).longValue()));
  }
}
