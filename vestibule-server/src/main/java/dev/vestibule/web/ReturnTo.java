package dev.vestibule.web;

import java.util.Optional;

/**
 * Where a user may be sent after logging in: a path on this site only. Anything a browser could read as another
 * origin ({@code //host}, {@code /\host}, a scheme, a control character it would strip first) is refused, and so
 * is anything not percent-encoded ASCII, since it goes into a Location header.
 */
public final class ReturnTo {
  private static final int MAX_LENGTH = 2048;

  private ReturnTo() {}

  /** {@code candidate} when it is a same-origin path ({@code /...}); empty otherwise. */
  public static Optional<String> sameOrigin(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) return Optional.empty();
    if (candidate.charAt(0) != '/') return Optional.empty();
    if (candidate.length() > 1 && (candidate.charAt(1) == '/' || candidate.charAt(1) == '\\')) return Optional.empty();
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '\\') return Optional.empty();
    }
    return Optional.of(candidate);
  }

  /** {@code candidate} when it is a same-origin path, else {@code /}. */
  public static String orHome(String candidate) {
    return sameOrigin(candidate).orElse("/");
  }
}
