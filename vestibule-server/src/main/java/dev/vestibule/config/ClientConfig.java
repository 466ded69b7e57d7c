package dev.vestibule.config;

import java.util.Objects;
import java.util.Optional;

/** An OAuth2 client of the built-in {@code /oauth/token}; a token's {@code aud} is its client id. */
public record ClientConfig(String id, Optional<String> secret) {

  public ClientConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "ClientConfig[id=" + id + ", secret=" + Redact.secret(secret) + "]";
  }
}
