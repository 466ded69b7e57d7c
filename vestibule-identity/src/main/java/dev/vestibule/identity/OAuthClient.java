package dev.vestibule.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A client of the token endpoint. A token's {@code aud} is its client's id.
 *
 * @param secret empty for a public client (a browser app behind the gateway)
 */
public record OAuthClient(String id, Optional<String> secret) {
  public OAuthClient {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) throw new IllegalArgumentException("a client id must not be blank");
    secret = secret == null ? Optional.empty() : secret.filter(s -> !s.isEmpty());
  }

  public static OAuthClient publicClient(String id) {
    return new OAuthClient(id, Optional.empty());
  }

  public static OAuthClient confidential(String id, String secret) {
    return new OAuthClient(id, Optional.of(secret));
  }

  @Override
  public String toString() {
    return "OAuthClient[id=" + id + ", secret=" + (secret.isPresent() ? "redacted" : "none") + "]";
  }
}
