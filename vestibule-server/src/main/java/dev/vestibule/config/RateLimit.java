package dev.vestibule.config;

import java.time.Duration;
import java.util.Objects;

/** At most {@code permits} events per {@code window}; written {@code 10/1m}. */
public record RateLimit(int permits, Duration window) {

  private static final String HINT = "write <count>/<duration> like 10/1m";

  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (permits <= 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a rate limit needs positive permits and window");
    }
  }

  public static RateLimit parse(String key, String text) throws ConfigException {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new ConfigException(key, "'" + t + "' is not a rate limit; " + HINT);
    }
    String count = t.substring(0, slash).strip();
    if (!count.matches("\\d{1,9}") || Integer.parseInt(count) == 0) {
      throw new ConfigException(key, "'" + t + "' needs a positive count before the '/'; " + HINT);
    }
    Duration window = Durations.parse(key, t.substring(slash + 1));
    if (window.isZero()) {
      throw new ConfigException(key, "'" + t + "' needs a window longer than 0; " + HINT);
    }
    return new RateLimit(Integer.parseInt(count), window);
  }

  @Override
  public String toString() {
    return permits + "/" + Durations.format(window);
  }
}
