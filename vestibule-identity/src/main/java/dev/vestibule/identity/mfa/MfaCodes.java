package dev.vestibule.identity.mfa;

import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.user.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Logins waiting for a mailed 7-digit code. The browser holds a random challenge token; the code is checked
 * against that challenge only, in constant time, at most {@value #MAX_ATTEMPTS} times (every later attempt is
 * {@code TOO_MANY}), and once right it is spent.
 * A new login of the user replaces their pending challenge.
 */
public final class MfaCodes {
  public static final int CODE_LENGTH = 7;
  public static final int MAX_ATTEMPTS = 5;
  private static final Pattern CODE = Pattern.compile("[0-9]{" + CODE_LENGTH + "}");

  private final Database db;
  private final Clock clock;
  private final Duration ttl;

  public MfaCodes(Database db, Clock clock, Duration ttl) {
    this.db = db;
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new challenge and code for {@code user}, replacing any pending one. */
  public Issued issue(User user) {
    String challenge = Secrets.newToken();
    String code = Secrets.digits(CODE_LENGTH);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    db.transaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE mfa_challenges SET used_at = ? WHERE user_id = ? AND used_at IS NULL")) {
        s.setLong(1, now.toEpochMilli());
        s.setString(2, user.id());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO mfa_challenges"
          + " (challenge_hash, user_id, code_hash, attempts, created_at, expires_at) VALUES (?, ?, ?, 0, ?, ?)")) {
        s.setString(1, Secrets.storedForm(challenge));
        s.setString(2, user.id());
        s.setString(3, codeHash(challenge, code));
        s.setLong(4, now.toEpochMilli());
        s.setLong(5, expiresAt.toEpochMilli());
        return s.executeUpdate();
      }
    });
    return new Issued(user, challenge, code, expiresAt);
  }

  /** The user whose pending challenge this is; empty for an unknown, spent or expired one. */
  public Optional<String> owner(String challenge) {
    if (challenge == null || challenge.isBlank()) return Optional.empty();
    long now = clock.instant().toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT user_id FROM mfa_challenges WHERE challenge_hash = ? AND used_at IS NULL AND expires_at > ?")) {
        s.setString(1, Secrets.storedForm(challenge));
        s.setLong(2, now);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /** Checks {@code code} against the challenge; every check, right or wrong, uses one attempt. */
  public MfaVerification verify(String challenge, String code) {
    if (challenge == null || challenge.isBlank()) return MfaVerification.refused(MfaVerification.Outcome.UNKNOWN, 0);
    String hash = Secrets.storedForm(challenge);
    long now = clock.instant().toEpochMilli();
    return db.transaction(c -> {
      // Counting first, atomically, so that parallel guesses cannot share one attempt.
      if (!useAttempt(c, hash, now)) return whyNoAttempt(c, hash, now);
      String userId;
      String stored;
      int attempts;
      try (PreparedStatement s = c.prepareStatement(
          "SELECT user_id, code_hash, attempts FROM mfa_challenges WHERE challenge_hash = ?")) {
        s.setString(1, hash);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) return MfaVerification.refused(MfaVerification.Outcome.UNKNOWN, 0);
          userId = rs.getString(1);
          stored = rs.getString(2);
          attempts = rs.getInt(3);
        }
      }
      String given = code != null && CODE.matcher(code).matches() ? code : "";
      boolean right = Secrets.constantTimeEquals(codeHash(challenge, given), stored) && !given.isEmpty();
      if (right && spend(c, hash, now)) return MfaVerification.accepted(userId);
      return MfaVerification.refused(MfaVerification.Outcome.WRONG, Math.max(0, MAX_ATTEMPTS - attempts));
    });
  }

  /** Forgets challenges past their expiry. */
  public int purgeExpired() {
    long now = clock.instant().toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM mfa_challenges WHERE expires_at <= ?")) {
        s.setLong(1, now);
        return s.executeUpdate();
      }
    });
  }

  private static boolean useAttempt(Connection c, String hash, long now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE mfa_challenges SET attempts = attempts + 1"
        + " WHERE challenge_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?")) {
      s.setString(1, hash);
      s.setLong(2, now);
      s.setInt(3, MAX_ATTEMPTS);
      return s.executeUpdate() == 1;
    }
  }

  private static MfaVerification whyNoAttempt(Connection c, String hash, long now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT attempts FROM mfa_challenges WHERE challenge_hash = ? AND used_at IS NULL AND expires_at > ?")) {
      s.setString(1, hash);
      s.setLong(2, now);
      try (ResultSet rs = s.executeQuery()) {
        boolean exhausted = rs.next() && rs.getInt(1) >= MAX_ATTEMPTS;
        return MfaVerification.refused(exhausted ? MfaVerification.Outcome.TOO_MANY : MfaVerification.Outcome.UNKNOWN, 0);
      }
    }
  }

  private static boolean spend(Connection c, String hash, long now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE mfa_challenges SET used_at = ? WHERE challenge_hash = ? AND used_at IS NULL")) {
      s.setLong(1, now);
      s.setString(2, hash);
      return s.executeUpdate() == 1;
    }
  }

  // Bound to the challenge: the stored hash alone, without the browser's token, does not give the code away.
  private static String codeHash(String challenge, String code) {
    return Secrets.storedForm(challenge + ":" + code);
  }

  /** A pending login: the challenge for the browser's cookie, the code for the user's mailbox. */
  public record Issued(User user, String challenge, String code, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[user=" + user.id() + ", challenge=redacted, code=redacted, expiresAt=" + expiresAt + "]";
    }
  }
}
