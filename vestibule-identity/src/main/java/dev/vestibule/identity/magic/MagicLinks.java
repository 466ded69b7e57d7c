package dev.vestibule.identity.magic;

import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.user.Account;
import dev.vestibule.identity.user.User;
import dev.vestibule.identity.user.UserStore;
import dev.vestibule.token.TokenRejectedException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Single-use login links, stored hashed, each with the page the user goes to once logged in. */
public final class MagicLinks {
  private final Database db;
  private final UserStore users;
  private final Clock clock;
  private final Duration ttl;

  public MagicLinks(Database db, UserStore users, Clock clock, Duration ttl) {
    this.db = db;
    this.users = users;
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /**
   * A new link token for the account of {@code email}; empty when there is no such account.
   *
   * @param returnTo a same-origin path, already checked by the caller
   */
  public Optional<Issued> issue(String email, String returnTo) {
    Optional<User> user = users.findByEmail(email).map(Account::user);
    if (user.isEmpty()) return Optional.empty();
    String token = Secrets.newToken();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO magic_links (token_hash, user_id, return_to, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
        s.setString(1, Secrets.storedForm(token));
        s.setString(2, user.get().id());
        s.setString(3, returnTo);
        s.setLong(4, now.toEpochMilli());
        s.setLong(5, expiresAt.toEpochMilli());
        return s.executeUpdate();
      }
    });
    return Optional.of(new Issued(user.get(), token, expiresAt));
  }

  /**
   * Spends {@code token}: the user it logs in and where they go next.
   *
   * @throws TokenRejectedException {@code invalid_token} when the token is unknown, used or expired
   */
  public Redeemed redeem(String token) {
    if (token == null || token.isBlank()) throw invalid();
    String hash = Secrets.storedForm(token);
    long now = clock.instant().toEpochMilli();
    Redeemed redeemed = db.transaction(c -> {
      String userId;
      String returnTo;
      try (PreparedStatement s = c.prepareStatement(
          "SELECT user_id, return_to FROM magic_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
        s.setString(1, hash);
        s.setLong(2, now);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) return null;
          userId = rs.getString(1);
          returnTo = rs.getString(2);
        }
      }
      // Compare-and-set: of two concurrent uses of one link, only one logs in.
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE magic_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")) {
        s.setLong(1, now);
        s.setString(2, hash);
        if (s.executeUpdate() != 1) return null;
      }
      return new Redeemed(userId, returnTo);
    });
    if (redeemed == null) throw invalid();
    return redeemed;
  }

  /** Forgets links past their expiry. */
  public int purgeExpired() {
    long now = clock.instant().toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM magic_links WHERE expires_at <= ?")) {
        s.setLong(1, now);
        return s.executeUpdate();
      }
    });
  }

  private static TokenRejectedException invalid() {
    return new TokenRejectedException("invalid_token", "the login link is unknown, used or expired");
  }

  /** A link token for {@code user}, to be mailed. */
  public record Issued(User user, String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[user=" + user.id() + ", token=redacted, expiresAt=" + expiresAt + "]";
    }
  }

  /** A spent link: whom it logs in, and the path they asked to land on. */
  public record Redeemed(String userId, String returnTo) {}
}
