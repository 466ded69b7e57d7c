package dev.vestibule.identity.refresh;

import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.token.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opaque refresh tokens, stored hashed, grouped in families: one family per login. Every use rotates the token.
 * A rotated token used again within {@code grace} is a late request of the same client, not theft: it gets the
 * family's current token back. Used again later, it is taken as stolen and ends its family (only that login).
 *
 * <p>The database holds no token in a usable form. To hand out the current token again, tokens of a family form a
 * chain: each successor is an HMAC of its predecessor under a key of the family. Only a caller holding an
 * earlier token, and only within the grace period, can be given a later one. (Whoever can read the database and
 * also holds an old token of a family could compute its later tokens; either alone is not enough.)
 */
public final class RefreshTokens {
  private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);
  // A replay walks the chain from the presented token to the current one; no client rotates this often in a grace.
  private static final int MAX_CHAIN_WALK = 1000;

  private final Database db;
  private final Clock clock;
  private final Duration ttl;
  private final Duration grace;

  /**
   * @param ttl how long each token stays usable after it was issued
   * @param grace how long a rotated token may still be presented without ending its family
   */
  public RefreshTokens(Database db, Clock clock, Duration ttl, Duration grace) {
    this.db = db;
    this.clock = clock;
    this.ttl = ttl;
    this.grace = grace;
  }

  /** Starts a family for a new login of {@code userId} at {@code clientId} and returns its first token. */
  public String start(String userId, String clientId) {
    String token = Secrets.newToken();
    String familyId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    db.transaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO refresh_families (id, user_id, client_id, chain_key, created_at) VALUES (?, ?, ?, ?, ?)")) {
        s.setString(1, familyId);
        s.setString(2, userId);
        s.setString(3, clientId);
        s.setString(4, Secrets.base64url(Secrets.randomBytes(32)));
        s.setLong(5, now.toEpochMilli());
        s.executeUpdate();
      }
      insertToken(c, token, familyId, 1, now);
      return null;
    });
    return token;
  }

  /**
   * Exchanges {@code token} for the family's next one.
   *
   * @throws TokenRejectedException {@code invalid_grant} when the token is unknown, expired, revoked, issued to
   *     another client, or reused after the grace period (which also ends its family)
   */
  public Refreshed use(String token, String clientId) {
    if (token == null || token.isBlank()) throw invalid("missing refresh token");
    Instant now = clock.instant();
    Outcome outcome = db.transaction(c -> use(c, token, clientId, now));
    if (outcome.refreshed() == null) throw invalid(outcome.rejection());
    return outcome.refreshed();
  }

  // Returns rejections instead of throwing them: ending a family on reuse must be committed.
  private Outcome use(Connection c, String token, String clientId, Instant now) throws SQLException {
    String hash = Secrets.storedForm(token);
    Presented presented = find(c, hash);
    if (presented == null) return Outcome.rejected("unknown refresh token");
    if (presented.revokedAt() != null) return Outcome.rejected("refresh token revoked");
    if (!presented.clientId().equals(clientId)) return Outcome.rejected("refresh token issued to another client");
    if (!now.isBefore(presented.expiresAt())) return Outcome.rejected("refresh token expired");

    if (presented.rotatedAt() == null) {
      if (markRotated(c, hash, now)) {
        String next = successor(presented.chainKey(), token);
        insertToken(c, next, presented.familyId(), presented.generation() + 1, now);
        return Outcome.of(new Refreshed(presented.userId(), presented.familyId(), next, false));
      }
      // A concurrent request rotated it first: answer as a replay of that rotation.
      presented = find(c, hash);
      if (presented == null || presented.rotatedAt() == null) return Outcome.rejected("refresh token changed concurrently");
    }

    if (now.isAfter(presented.rotatedAt().plus(grace))) {
      endFamily(c, presented.familyId(), "reuse", now);
      log.warn("refresh token of family {} (user {}) reused {} after its rotation; that login is revoked",
          presented.familyId(), presented.userId(), Duration.between(presented.rotatedAt(), now));
      return Outcome.rejected("refresh token reused after rotation; the login is revoked");
    }
    return replay(c, presented, token, now);
  }

  private Outcome replay(Connection c, Presented presented, String token, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT token_hash, generation, expires_at FROM refresh_tokens WHERE family_id = ? AND rotated_at IS NULL")) {
      s.setString(1, presented.familyId());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) return Outcome.rejected("refresh token family has no current token");
        int steps = rs.getInt("generation") - presented.generation();
        if (steps < 1 || steps > MAX_CHAIN_WALK) return Outcome.rejected("refresh token family is inconsistent");
        String current = token;
        for (int i = 0; i < steps; i++) current = successor(presented.chainKey(), current);
        if (!Secrets.storedForm(current).equals(rs.getString("token_hash"))) {
          return Outcome.rejected("refresh token family is inconsistent");
        }
        if (!now.isBefore(Instant.ofEpochMilli(rs.getLong("expires_at")))) return Outcome.rejected("refresh token expired");
        return Outcome.of(new Refreshed(presented.userId(), presented.familyId(), current, true));
      }
    }
  }

  /**
   * Ends the family of {@code token} (RFC 7009: a token that is unknown, expired or already revoked is fine).
   *
   * @return whether a live family was ended
   */
  public boolean revoke(String token) {
    if (token == null || token.isBlank()) return false;
    Instant now = clock.instant();
    return db.transaction(c -> {
      Presented presented = find(c, Secrets.storedForm(token));
      return presented != null && presented.revokedAt() == null && endFamily(c, presented.familyId(), "revoked", now);
    });
  }

  /** The id of the client that {@code token}'s family belongs to, if the token is known. */
  public Optional<String> clientOf(String token) {
    if (token == null || token.isBlank()) return Optional.empty();
    return db.read(c -> Optional.ofNullable(find(c, Secrets.storedForm(token))).map(Presented::clientId));
  }

  /** Ends every family (every login) of {@code userId}; returns how many were live. */
  public int revokeAll(String userId, String reason) {
    Instant now = clock.instant();
    return db.transaction(c -> revokeAll(c, userId, reason, now));
  }

  /** Ends every family of {@code userId} inside the caller's transaction. */
  public int revokeAll(Connection c, String userId, String reason, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL")) {
      s.setLong(1, now.toEpochMilli());
      s.setString(2, reason);
      s.setString(3, userId);
      return s.executeUpdate();
    }
  }

  /** Forgets tokens past their expiry, and families left without tokens. */
  public int purgeExpired() {
    long now = clock.instant().toEpochMilli();
    return db.transaction(c -> {
      int purged;
      try (PreparedStatement s = c.prepareStatement("DELETE FROM refresh_tokens WHERE expires_at <= ?")) {
        s.setLong(1, now);
        purged = s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM refresh_families WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = refresh_families.id)")) {
        s.executeUpdate();
      }
      return purged;
    });
  }

  private void insertToken(Connection c, String token, String familyId, int generation, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO refresh_tokens (token_hash, family_id, generation, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, Secrets.storedForm(token));
      s.setString(2, familyId);
      s.setInt(3, generation);
      s.setLong(4, now.toEpochMilli());
      s.setLong(5, now.plus(ttl).toEpochMilli());
      s.executeUpdate();
    }
  }

  private static boolean markRotated(Connection c, String hash, Instant now) throws SQLException {
    // Compare-and-set: of two requests racing with the same token, exactly one rotates it.
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL")) {
      s.setLong(1, now.toEpochMilli());
      s.setString(2, hash);
      return s.executeUpdate() == 1;
    }
  }

  private static boolean endFamily(Connection c, String familyId, String reason, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL")) {
      s.setLong(1, now.toEpochMilli());
      s.setString(2, reason);
      s.setString(3, familyId);
      return s.executeUpdate() == 1;
    }
  }

  private static Presented find(Connection c, String hash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT t.family_id, t.generation, t.expires_at, t.rotated_at, f.user_id, f.client_id, f.chain_key, f.revoked_at"
            + " FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = ?")) {
      s.setString(1, hash);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) return null;
        return new Presented(rs.getString("family_id"), rs.getInt("generation"),
            Instant.ofEpochMilli(rs.getLong("expires_at")), instantOrNull(rs, "rotated_at"), rs.getString("user_id"),
            rs.getString("client_id"), rs.getString("chain_key"), instantOrNull(rs, "revoked_at"));
      }
    }
  }

  private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static String successor(String chainKey, String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(chainKey), "HmacSHA256"));
      return Secrets.base64url(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private static TokenRejectedException invalid(String why) {
    return new TokenRejectedException("invalid_grant", why);
  }

  /**
   * A successful use.
   *
   * @param refreshToken the family's current token: a new one, or for a replay within the grace period the one
   *     an earlier request already received
   * @param replayed true when the token had been rotated already and this answer repeats that rotation
   */
  public record Refreshed(String userId, String familyId, String refreshToken, boolean replayed) {
    @Override
    public String toString() {
      return "Refreshed[userId=" + userId + ", familyId=" + familyId + ", refreshToken=redacted, replayed=" + replayed + "]";
    }
  }

  private record Presented(String familyId, int generation, Instant expiresAt, Instant rotatedAt, String userId,
      String clientId, String chainKey, Instant revokedAt) {}

  private record Outcome(Refreshed refreshed, String rejection) {
    static Outcome of(Refreshed refreshed) {
      return new Outcome(refreshed, null);
    }

    static Outcome rejected(String why) {
      return new Outcome(null, why);
    }
  }
}
