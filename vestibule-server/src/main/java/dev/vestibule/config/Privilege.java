package dev.vestibule.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** API-key privileges, declared from lowest to highest: custom &lt; demo &lt; restricted &lt; protected &lt; full. */
public enum Privilege {
  CUSTOM, DEMO, RESTRICTED, PROTECTED, FULL;

  /** The lower-case name used in config and JSON, like {@code restricted}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this privilege is {@code required} or higher. */
  public boolean atLeast(Privilege required) {
    return compareTo(required) >= 0;
  }

  /** Case-insensitive lookup by label; empty for anything else. */
  public static Optional<Privilege> fromLabel(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    return Arrays.stream(values()).filter(p -> p.label().equalsIgnoreCase(t)).findFirst();
  }

  public static Privilege parse(String key, String text) throws ConfigException {
    Optional<Privilege> p = fromLabel(text);
    if (p.isEmpty()) {
      throw new ConfigException(key, "'" + text + "' is not a privilege; use one of " + labels());
    }
    return p.get();
  }

  static String labels() {
    return Arrays.stream(values()).map(Privilege::label).collect(Collectors.joining(", "));
  }
}
