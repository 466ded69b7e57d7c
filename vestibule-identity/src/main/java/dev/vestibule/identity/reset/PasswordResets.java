package dev.vestibule.identity.reset;

import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.refresh.RefreshTokens;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.user.Account;
import dev.vestibule.identity.user.User;
import dev.vestibule.identity.user.UserStore;
import dev.vestibule.token.TokenRejectedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Single-use password reset tokens, stored hashed. Completing a reset sets the new password, spends every other
 * pending reset of that user, and ends all their logins (refresh-token families), in one transaction.
 */
public final class PasswordResets {
  private static final List<String> MAILED_SECRETS = List.of("password_resets", "magic_links", "mfa_challenges");

  private final Database db;
  private final UserStore users;
  private final RefreshTokens refreshTokens;
  private final Clock clock;
  private final Duration ttl;

  public PasswordResets(Database db, UserStore users, RefreshTokens refreshTokens, Clock clock, Duration ttl) {
    this.db = db;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** A new reset token for the account of {@code email}; empty when there is no such account. */
  public Optional<Issued> issue(String email) {
    Optional<User> user = users.findByEmail(email).map(Account::user);
    if (user.isEmpty()) return Optional.empty();
    String token = Secrets.newToken();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
        s.setString(1, Secrets.storedForm(token));
        s.setString(2, user.get().id());
        s.setLong(3, now.toEpochMilli());
        s.setLong(4, expiresAt.toEpochMilli());
        return s.executeUpdate();
      }
    });
    return Optional.of(new Issued(user.get(), token, expiresAt));
  }

  /**
   * The user whose password {@code token} would reset now, so that a bad token is refused before any work.
   *
   * @throws TokenRejectedException {@code invalid_token} when the token is unknown, used or expired
   */
  public String check(String token) {
    if (token == null || token.isBlank()) throw invalid();
    Instant now = clock.instant();
    String userId = db.read(c -> usableUser(c, Secrets.storedForm(token), now));
    if (userId == null) throw invalid();
    return userId;
  }

  /**
   * Spends {@code token} and sets the user's password to {@code newHash}.
   *
   * @throws TokenRejectedException {@code invalid_token} when the token is unknown, used or expired
   */
  public User complete(String token, String newHash) {
    if (token == null || token.isBlank()) throw invalid();
    String hash = Secrets.storedForm(token);
    Instant now = clock.instant();
    String userId = db.transaction(c -> {
      String owner = usableUser(c, hash, now);
      if (owner == null || !spend(c, hash, now)) return null;
      users.changePassword(c, owner, newHash, now);
      spendMailedSecretsOf(c, owner, now);
      refreshTokens.revokeAll(c, owner, "password-reset", now);
      return owner;
    });
    if (userId == null) throw invalid();
    return users.find(userId).orElseThrow(PasswordResets::invalid);
  }

  /** Forgets reset tokens past their expiry. */
  public int purgeExpired() {
    long now = clock.instant().toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM password_resets WHERE expires_at <= ?")) {
        s.setLong(1, now);
        return s.executeUpdate();
      }
    });
  }

  private static String usableUser(Connection c, String hash, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
      s.setString(1, hash);
      s.setLong(2, now.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static boolean spend(Connection c, String hash, Instant now) throws SQLException {
    // Compare-and-set, so that of two concurrent resets with one token only one succeeds.
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
      s.setLong(1, now.toEpochMilli());
      s.setString(2, hash);
      s.setLong(3, now.toEpochMilli());
      return s.executeUpdate() == 1;
    }
  }

  /**
   * A reset says the account may have been in someone else's hands: no reset link, login link or MFA code mailed
   * before it may be used after it.
   */
  private static void spendMailedSecretsOf(Connection c, String userId, Instant now) throws SQLException {
    for (String table : MAILED_SECRETS) {
      try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET used_at = ? WHERE user_id = ? AND used_at IS NULL")) {
        s.setLong(1, now.toEpochMilli());
        s.setString(2, userId);
        s.executeUpdate();
      }
    }
  }

  private static TokenRejectedException invalid() {
    return new TokenRejectedException("invalid_token", "the reset link is unknown, used or expired");
  }

  /** A reset token for {@code user}, to be mailed. */
  public record Issued(User user, String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[user=" + user.id() + ", token=redacted, expiresAt=" + expiresAt + "]";
    }
  }
}
