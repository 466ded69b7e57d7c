package dev.vestibule.session;

import dev.vestibule.token.TokenSet;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One login. {@code user} is the public part (what {@code GET /auth/session} shows);
 * {@code tokens} never leave the server. Immutable: updates return a new session.
 */
public record Session(String id, Map<String, Object> user, TokenSet tokens,
           Instant loggedInAt, Instant expiresAt, Instant lastSeenAt) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code user} may be null (empty) and {@code lastSeenAt} null (= {@code loggedInAt}). */
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(loggedInAt, "loggedInAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    user = user == null ? Map.of() : freeze(user);
    lastSeenAt = lastSeenAt == null ? loggedInAt : lastSeenAt;
  }

  /** 128 random bits, base64url without padding. */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Session withTokens(TokenSet newTokens) {
    return new Session(id, user, newTokens, loggedInAt, expiresAt, lastSeenAt);
  }

  /** The same login with a changed public user (a setting the user just changed). */
  public Session withUser(Map<String, Object> newUser) {
    return new Session(id, newUser, tokens, loggedInAt, expiresAt, lastSeenAt);
  }

  public Session withLastSeen(Instant seen) {
    return new Session(id, user, tokens, loggedInAt, expiresAt, seen);
  }

  /** True from {@code expiresAt} on. */
  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** True once unused for {@code idleTimeout}; a zero (or negative) timeout never idles. */
  public boolean idle(Instant now, Duration idleTimeout) {
    if (idleTimeout == null || idleTimeout.isZero() || idleTimeout.isNegative()) {
      return false;
    }
    return !now.isBefore(lastSeenAt.plus(idleTimeout));
  }

  // Ids can be store keys and user claims are personal data: logs get neither in full.
  @Override
  public String toString() {
    return "Session[id=" + id.substring(0, Math.min(6, id.length())) + "…, user=" + user.keySet()
        + ", tokens=redacted, loggedInAt=" + loggedInAt + ", expiresAt=" + expiresAt
        + ", lastSeenAt=" + lastSeenAt + "]";
  }

  // Claims from JSON nest maps and lists; copy them all so the record is immutable all the way down.
  // Map.copyOf/List.copyOf refuse null values, which JSON claims may carry.
  private static Map<String, Object> freeze(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, freezeValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object freezeValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return freeze((Map<String, ?>) m);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(freezeValue(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
