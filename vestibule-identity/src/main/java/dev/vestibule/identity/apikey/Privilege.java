package dev.vestibule.identity.apikey;

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

  /** Every label, lowest first: {@code custom, demo, restricted, protected, full}. */
  public static String labels() {
    return Arrays.stream(values()).map(Privilege::label).collect(Collectors.joining(", "));
  }
}
