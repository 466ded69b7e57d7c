package dev.vestibule.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals bytes into a cookie-safe string with AES-256-GCM, under keys derived from the
 * configured secrets. The first secret seals; every secret unseals, so secrets can rotate.
 *
 * <p>Layout (base64url, no padding): version byte, 12-byte IV, ciphertext with 16-byte tag.
 * The version byte and the purpose are the GCM associated data, so a value sealed for one
 * purpose never opens as another. Thread-safe.
 */
public final class SessionSealer {

  public static final int MIN_SECRET_LENGTH = 32;

  private static final byte VERSION = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_SEALED_BYTES = 1 + IV_BYTES + TAG_BITS / 8;
  private static final byte[] HKDF_SALT = "dev.vestibule.session.hkdf-salt.v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HKDF_INFO = "vestibule/session/v1".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  // Looking the transformation up costs more than the cipher work on a session-sized value; each
  // call re-initialises the instance with its own key and IV.
  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  });

  /** The result of a successful unseal; {@code sealedWithCurrentSecret} false means "re-seal with the first secret". */
  public record Unsealed(byte[] plaintext, boolean sealedWithCurrentSecret) {}

  private final List<SecretKeySpec> keys;
  private final SecureRandom random = new SecureRandom();

  public SessionSealer(List<String> secrets) {
    if (secrets == null || secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one session secret is required");
    }
    List<SecretKeySpec> derived = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      String secret = secrets.get(i);
      // The message names the position only: the secret itself must never reach a log.
      if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
        throw new IllegalArgumentException("session secret #" + (i + 1) + " must be at least "
            + MIN_SECRET_LENGTH + " characters long");
      }
      derived.add(new SecretKeySpec(Hkdf.sha256(secret.getBytes(StandardCharsets.UTF_8), HKDF_SALT, HKDF_INFO, 32), "AES"));
    }
    this.keys = List.copyOf(derived);
  }

  public String seal(byte[] plaintext, String purpose) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(purpose));
      byte[] ciphertext = cipher.doFinal(plaintext);
      byte[] sealed = new byte[1 + IV_BYTES + ciphertext.length];
      sealed[0] = VERSION;
      System.arraycopy(iv, 0, sealed, 1, IV_BYTES);
      System.arraycopy(ciphertext, 0, sealed, 1 + IV_BYTES, ciphertext.length);
      return ENCODER.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  public String seal(String plaintext, String purpose) {
    return seal(plaintext.getBytes(StandardCharsets.UTF_8), purpose);
  }

  /** Empty for anything that is not a value this sealer produced for {@code purpose}; never throws. */
  public Optional<Unsealed> unseal(String value, String purpose) {
    try {
      if (value == null || purpose == null) {
        return Optional.empty();
      }
      byte[] sealed = DECODER.decode(value);
      // Reject non-canonical spellings (padding, stray low bits) so every altered string fails.
      if (sealed.length < MIN_SEALED_BYTES || sealed[0] != VERSION || !ENCODER.encodeToString(sealed).equals(value)) {
        return Optional.empty();
      }
      byte[] aad = aad(purpose);
      for (int i = 0; i < keys.size(); i++) {
        Optional<byte[]> plain = open(keys.get(i), sealed, aad);
        if (plain.isPresent()) {
          return Optional.of(new Unsealed(plain.get(), i == 0));
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<byte[]> open(SecretKeySpec key, byte[] sealed, byte[] aad) {
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
      cipher.updateAAD(aad);
      return Optional.of(cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static byte[] aad(String purpose) {
    Objects.requireNonNull(purpose, "purpose");
    byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
    byte[] aad = new byte[1 + p.length];
    aad[0] = VERSION;
    System.arraycopy(p, 0, aad, 1, p.length);
    return aad;
  }

  /** HKDF (RFC 5869) with HMAC-SHA256. */
  static final class Hkdf {
    private Hkdf() {}

    static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
      if (length <= 0 || length > 255 * 32) {
        throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + 255 * 32);
      }
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        // An empty salt means HashLen zero bytes; SecretKeySpec refuses empty keys.
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);

        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] okm = new byte[length];
        byte[] block = new byte[0];
        for (int i = 1, filled = 0; filled < length; i++) {
          mac.update(block);
          mac.update(info);
          mac.update((byte) i);
          block = mac.doFinal();
          int n = Math.min(block.length, length - filled);
          System.arraycopy(block, 0, okm, filled, n);
          filled += n;
        }
        return okm;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    }
  }
}
