package dev.vestibule.config;

import java.util.Objects;
import java.util.Optional;

/** How a route hands the access token to its upstream; {@code cookieName} is present exactly for {@link RelayMode#COOKIE}. */
public record Relay(RelayMode mode, Optional<String> cookieName) {

  public static final Relay BEARER = new Relay(RelayMode.BEARER, Optional.empty());
  public static final Relay NONE = new Relay(RelayMode.NONE, Optional.empty());

  public Relay {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cookieName, "cookieName");
    if ((mode == RelayMode.COOKIE) != cookieName.isPresent()) {
      throw new IllegalArgumentException("a cookie name goes with cookie relay only");
    }
  }

  public static Relay cookie(String name) {
    return new Relay(RelayMode.COOKIE, Optional.of(name));
  }
}
