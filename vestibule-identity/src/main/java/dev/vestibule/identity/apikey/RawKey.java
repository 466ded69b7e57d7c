package dev.vestibule.identity.apikey;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key as its holder sends it: {@code vst_<prefix>_<secret>}. The prefix is public and finds the key's row;
 * only the secret proves possession. Both are base62, so a double click selects the whole key.
 */
record RawKey(String prefix, String secret) {
  static final String SCHEME = "vst";
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // 12 base62 characters make collisions between live keys unlikely; the unique index settles the rest.
  private static final int PREFIX_LENGTH = 12;
  // 43 base62 characters carry 256 bits: nobody guesses the secret, so it needs no slow hash.
  private static final int SECRET_LENGTH = 43;
  private static final Pattern FORM = Pattern.compile(
      SCHEME + "_([0-9A-Za-z]{" + PREFIX_LENGTH + "})_([0-9A-Za-z]{" + SECRET_LENGTH + "})");
  private static final SecureRandom RANDOM = new SecureRandom();

  static RawKey generate() {
    return new RawKey(random(PREFIX_LENGTH), random(SECRET_LENGTH));
  }

  /** The parts of a key in the right form; empty for anything else, before any lookup. */
  static Optional<RawKey> parse(String text) {
    if (text == null) return Optional.empty();
    Matcher m = FORM.matcher(text.strip());
    return m.matches() ? Optional.of(new RawKey(m.group(1), m.group(2))) : Optional.empty();
  }

  String text() {
    return SCHEME + "_" + prefix + "_" + secret;
  }

  private static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    return out.toString();
  }

  @Override
  public String toString() {
    return "RawKey[prefix=" + prefix + ", secret=redacted]";
  }
}
