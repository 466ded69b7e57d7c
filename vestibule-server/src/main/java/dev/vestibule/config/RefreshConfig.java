package dev.vestibule.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Token refresh: refresh when less than {@code before} is left; a refresh result stays reusable for
 * {@code grace}; a call to the token endpoint gives up after {@code timeout}.
 */
public record RefreshConfig(Duration before, Duration grace, Duration timeout) {

  public RefreshConfig {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(timeout, "timeout");
  }
}
