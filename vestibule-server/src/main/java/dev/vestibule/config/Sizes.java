package dev.vestibule.config;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as written in the config: a byte count ({@code 1048576}, {@code 512B}) or binary units {@code KiB}, {@code MiB}, {@code GiB}. */
public final class Sizes {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?");
  private static final Pattern DECIMAL_UNIT = Pattern.compile("\\d+\\s*(k|m|g|kb|mb|gb)");
  private static final String HINT = "write a byte count like 1048576, or 64KiB, 1MiB, 2GiB";

  private Sizes() {
  }

  /** Accepts an integral number or a string; the result is 0 or more. */
  public static long parse(String key, Object value) throws ConfigException {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return checked(key, value.toString(), new BigInteger(value.toString()));
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(key, "expected a size; " + HINT);
    }
    String t = s.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (DECIMAL_UNIT.matcher(lower).matches()) {
      throw new ConfigException(key, "'" + t + "' uses an ambiguous unit; use binary units: " + HINT);
    }
    Matcher m = FORMAT.matcher(lower);
    if (!m.matches()) {
      throw new ConfigException(key, "'" + t + "' is not a size; " + HINT);
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = switch (unit) {
      case "kib" -> 10;
      case "mib" -> 20;
      case "gib" -> 30;
      default -> 0;
    };
    return checked(key, t, new BigInteger(m.group(1)).shiftLeft(shift));
  }

  private static long checked(String key, String text, BigInteger bytes) throws ConfigException {
    if (bytes.signum() < 0) {
      throw new ConfigException(key, "'" + text + "' is negative; " + HINT);
    }
    if (bytes.bitLength() > 62) {
      throw new ConfigException(key, "'" + text + "' is too large; " + HINT);
    }
    return bytes.longValueExact();
  }
}
