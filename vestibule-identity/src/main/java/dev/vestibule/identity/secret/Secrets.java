package dev.vestibule.identity.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random opaque tokens, their stored form, and comparisons that take the same time for any input. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Secrets() {}

  /** 256 random bits, base64url: a token nobody can guess. */
  public static String newToken() {
    return BASE64URL.encodeToString(randomBytes(32));
  }

  /** {@code count} random decimal digits, leading zeros included: a code a person can type. */
  public static String digits(int count) {
    StringBuilder code = new StringBuilder(count);
    for (int i = 0; i < count; i++) code.append((char) ('0' + RANDOM.nextInt(10)));
    return code.toString();
  }

  public static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  public static String base64url(byte[] bytes) {
    return BASE64URL.encodeToString(bytes);
  }

  /**
   * The form a token is stored in: SHA-256, hex. A plain hash suffices because the tokens are random and long;
   * a slow hash only matters for guessable secrets such as passwords.
   */
  public static String storedForm(String token) {
    return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether two secrets are equal, in a time that depends on neither their content nor their lengths. */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) return false;
    return MessageDigest.isEqual(sha256(a.getBytes(StandardCharsets.UTF_8)), sha256(b.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
