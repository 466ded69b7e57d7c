package dev.vestibule.config;

import dev.vestibule.identity.apikey.Privilege;
import java.util.Objects;
import java.util.Optional;

/** A route's auth rule; {@code privilege} is present exactly when the mode is {@link RouteAuthMode#API_KEY}. */
public record RouteAuth(RouteAuthMode mode, Optional<Privilege> privilege) {

  public RouteAuth {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(privilege, "privilege");
    if ((mode == RouteAuthMode.API_KEY) != privilege.isPresent()) {
      throw new IllegalArgumentException("a privilege goes with apiKey routes only");
    }
  }

  public static RouteAuth of(RouteAuthMode mode) {
    return new RouteAuth(mode, Optional.empty());
  }

  public static RouteAuth apiKey(Privilege privilege) {
    return new RouteAuth(RouteAuthMode.API_KEY, Optional.of(privilege));
  }

  /** True for routes where a session cookie authenticates the caller (required or optional). */
  public boolean usesSession() {
    return mode == RouteAuthMode.REQUIRED || mode == RouteAuthMode.OPTIONAL;
  }
}
