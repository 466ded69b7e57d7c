package dev.vestibule.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens bound to a session: the token is a MAC of the session id, so another session's token (even
 * with its own matching cookie) never passes. Derived, never stored.
 */
public final class CsrfTokens {
  private static final String MAC = "HmacSHA256";
  private static final byte[] LABEL = "vestibule/csrf/v1".getBytes(StandardCharsets.UTF_8);

  private final List<SecretKeySpec> keys;

  /** @param secrets the session secrets; the first issues tokens, all verify (rotation) */
  public CsrfTokens(List<String> secrets) {
    if (secrets.isEmpty()) throw new IllegalArgumentException("at least one secret is needed");
    this.keys = secrets.stream().map(CsrfTokens::deriveKey).toList();
  }

  public String tokenFor(String sessionId) {
    return token(keys.get(0), sessionId);
  }

  /** True when the header and the cookie carry the same token and it belongs to this session. */
  public boolean verify(String sessionId, String headerValue, String cookieValue) {
    if (sessionId == null || headerValue == null || cookieValue == null) return false;
    byte[] header = headerValue.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(header, cookieValue.getBytes(StandardCharsets.UTF_8))) return false;
    boolean matches = false;
    for (SecretKeySpec key : keys) {
      // Every key is checked so the time taken does not say which secret matched.
      matches |= MessageDigest.isEqual(header, token(key, sessionId).getBytes(StandardCharsets.UTF_8));
    }
    return matches;
  }

  private static SecretKeySpec deriveKey(String secret) {
    byte[] material = mac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), MAC), LABEL);
    return new SecretKeySpec(material, MAC);
  }

  private static String token(SecretKeySpec key, String sessionId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, sessionId.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] mac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
