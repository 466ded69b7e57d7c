package dev.vestibule.oidc;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * One browser's login in flight, between {@code GET /auth/login} and {@code /auth/callback}: the values only that
 * browser may hold (state, nonce, PKCE verifier) and where it goes afterwards. Travels sealed in a cookie.
 */
public record LoginAttempt(String state, String nonce, String codeVerifier, String returnTo, Instant expiresAt) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  public LoginAttempt {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(codeVerifier, "codeVerifier");
    Objects.requireNonNull(returnTo, "returnTo");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public static LoginAttempt start(String returnTo, Instant expiresAt) {
    return new LoginAttempt(random(), random(), random(), returnTo, expiresAt);
  }

  /** The PKCE S256 challenge of the verifier (RFC 7636 §4.2). */
  public String codeChallenge() {
    return s256(codeVerifier);
  }

  static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return BASE64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Whether {@code candidate} is this login's state, compared in constant time. */
  public boolean stateMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  String toJson() {
    return new JsonObject().put("s", state).put("n", nonce).put("v", codeVerifier).put("r", returnTo)
        .put("e", expiresAt.getEpochSecond()).encode();
  }

  static Optional<LoginAttempt> fromJson(String json) {
    try {
      JsonObject o = new JsonObject(json);
      return Optional.of(new LoginAttempt(o.getString("s"), o.getString("n"), o.getString("v"), o.getString("r"),
          Instant.ofEpochSecond(o.getLong("e"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "LoginAttempt[returnTo=" + returnTo + ", expiresAt=" + expiresAt + "]";
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
