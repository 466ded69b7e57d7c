package dev.vestibule.identity.apikey;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a new key stops working, as a client writes it in {@code expires}: an ISO-8601 instant
 * ({@code 2027-01-31T00:00:00Z}), or an ISO-8601 duration counted from now ({@code P90D}, {@code PT12H}).
 * Absent, null or blank means the key never expires.
 */
public final class KeyExpiry {
  private KeyExpiry() {}

  /**
   * The instant {@code text} names, seen at {@code now}.
   *
   * @throws IllegalArgumentException with a sentence for the user when it is neither form, or not in the future
   */
  public static Optional<Instant> parse(String text, Instant now) {
    if (text == null || text.isBlank()) return Optional.empty();
    String t = text.strip();
    Instant at;
    try {
      at = t.charAt(0) == 'P' || t.charAt(0) == 'p' ? now.plus(Duration.parse(t)) : Instant.parse(t);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "Give an ISO-8601 instant like 2027-01-31T00:00:00Z or a duration from now like P90D.");
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("That is too far in the future.");
    }
    if (!at.isAfter(now)) throw new IllegalArgumentException("Choose a moment in the future.");
    return Optional.of(at);
  }
}
