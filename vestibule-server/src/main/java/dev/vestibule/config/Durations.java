package dev.vestibule.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the config: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or {@code 0}. */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final String HINT = "write it like 500ms, 30s, 5m, 2h or 7d";

  private Durations() {
  }

  public static Duration parse(String key, String text) throws ConfigException {
    String t = text == null ? "" : text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.matches("\\d+")) {
      throw new ConfigException(key, "'" + t + "' has no unit; " + HINT);
    }
    if (t.startsWith("-")) {
      throw new ConfigException(key, "'" + t + "' is negative; durations are 0 or more, " + HINT);
    }
    Matcher m = FORMAT.matcher(t);
    if (!m.matches()) {
      throw new ConfigException(key, "'" + t + "' is not a duration; " + HINT);
    }
    try {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigException(key, "'" + t + "' is too large; " + HINT);
    }
  }

  /** Formats a duration back into the config notation, using the largest exact unit. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
