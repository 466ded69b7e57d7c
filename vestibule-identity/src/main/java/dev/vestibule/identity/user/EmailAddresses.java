package dev.vestibule.identity.user;

import java.util.Locale;
import java.util.regex.Pattern;

/** What counts as an email address here, and the key that makes lookups case-insensitive. */
public final class EmailAddresses {
  public static final int MAX_LENGTH = 254;
  // Deliberately loose: one @, no spaces, a dot in the domain. Whether it works is for the mail to find out. What
  // RFC 5322 reads as a display name or a group (<>()[],;:"\) is refused: "x<victim@corp.com>" would be one
  // account here and a mail to victim@corp.com.
  private static final String ATOM = "[^\\s@<>()\\[\\],;:\"\\\\]";
  private static final Pattern SHAPE = Pattern.compile(
      ATOM + "{1,64}@(?!\\.)" + ATOM + "+\\." + ATOM + "*(?<!\\.)", Pattern.UNICODE_CHARACTER_CLASS);

  private EmailAddresses() {}

  public static boolean isValid(String email) {
    if (email == null) return false;
    String trimmed = email.strip();
    return trimmed.length() <= MAX_LENGTH && SHAPE.matcher(trimmed).matches() && trimmed.chars().noneMatch(Character::isISOControl);
  }

  /** The lookup key of {@code email}: stripped and lower-cased, so Alice@Example.org and alice@example.org are one account. */
  public static String key(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }
}
