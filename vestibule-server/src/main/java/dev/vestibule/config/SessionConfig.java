package dev.vestibule.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The session cookie. The first secret seals, all of them unseal (rotation). {@code idleTimeout} is
 * {@link Duration#ZERO} when sessions do not expire from inactivity. {@code cookieName} is the base
 * name; the gateway adds the {@code __Host-} prefix under https.
 */
public record SessionConfig(List<String> secrets, String cookieName, Duration maxAge, Duration idleTimeout,
    SameSite sameSite, SessionStore store) {

  public SessionConfig {
    secrets = List.copyOf(secrets);
    Objects.requireNonNull(cookieName, "cookieName");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(sameSite, "sameSite");
    Objects.requireNonNull(store, "store");
  }

  @Override
  public String toString() {
    return "SessionConfig[secrets=(" + secrets.size() + " hidden), cookieName=" + cookieName + ", maxAge=" + maxAge
        + ", idleTimeout=" + idleTimeout + ", sameSite=" + sameSite + ", store=" + store + "]";
  }
}
