package dev.vestibule.identity.user;

import dev.vestibule.identity.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Users and their password hashes, over JDBC. Blocking. */
public final class UserStore {
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");
  private static final String COLUMNS = "id, name, email, password_hash, roles, created_at, password_changed_at, mfa_enabled";

  private final Database db;

  public UserStore(Database db) {
    this.db = db;
  }

  /**
   * Stores a new user.
   *
   * @throws EmailTakenException when another account has the same email, whatever its case
   */
  public User create(String name, String email, String passwordHash, List<String> roles, Instant now) throws EmailTakenException {
    User user = new User(UUID.randomUUID().toString(), name.strip(), email.strip(), checkRoles(roles), now, now);
    boolean inserted = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO users (" + COLUMNS + ", email_key) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
        s.setString(1, user.id());
        s.setString(2, user.name());
        s.setString(3, user.email());
        s.setString(4, passwordHash);
        s.setString(5, String.join(" ", user.roles()));
        s.setLong(6, now.toEpochMilli());
        s.setLong(7, now.toEpochMilli());
        s.setString(8, EmailAddresses.key(email));
        s.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (db.dialect().isUniqueViolation(e)) return false;
        throw e;
      }
    });
    if (!inserted) throw new EmailTakenException();
    return user;
  }

  public Optional<Account> findByEmail(String email) {
    if (email == null || email.isBlank()) return Optional.empty();
    return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM users WHERE email_key = ?", EmailAddresses.key(email)));
  }

  public Optional<Account> findAccount(String id) {
    if (id == null) return Optional.empty();
    return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM users WHERE id = ?", id));
  }

  public Optional<User> find(String id) {
    return findAccount(id).map(Account::user);
  }

  /** Every user, oldest first. */
  public List<User> all() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY created_at, id");
           ResultSet rs = s.executeQuery()) {
        List<User> users = new ArrayList<>();
        while (rs.next()) users.add(account(rs).user());
        return users;
      }
    });
  }

  /** The users whose password was reset after {@code since} (not merely set at registration), with when. */
  public Map<String, Instant> passwordsResetSince(Instant since) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, password_changed_at FROM users WHERE password_changed_at > ? AND password_changed_at > created_at")) {
        s.setLong(1, since.toEpochMilli());
        try (ResultSet rs = s.executeQuery()) {
          Map<String, Instant> changes = new HashMap<>();
          while (rs.next()) changes.put(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("password_changed_at")));
          return changes;
        }
      }
    });
  }

  /**
   * Replaces the hash of an unchanged password by a stronger one, unless the password changed meanwhile.
   *
   * @return whether the hash was replaced
   */
  public boolean upgradeHash(String id, String oldHash, String newHash) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
        s.setString(1, newHash);
        s.setString(2, id);
        s.setString(3, oldHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  /** Sets a new password inside the caller's transaction. */
  public boolean changePassword(Connection c, String id, String newHash, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?")) {
      s.setString(1, newHash);
      s.setLong(2, now.toEpochMilli());
      s.setString(3, id);
      return s.executeUpdate() == 1;
    }
  }

  public Optional<User> setRoles(String id, List<String> roles) {
    String joined = String.join(" ", checkRoles(roles));
    int updated = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET roles = ? WHERE id = ?")) {
        s.setString(1, joined);
        s.setString(2, id);
        return s.executeUpdate();
      }
    });
    return updated == 1 ? find(id) : Optional.empty();
  }

  /** Turns MFA on or off; empty when there is no such user. */
  public Optional<User> setMfa(String id, boolean enabled) {
    int updated = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE users SET mfa_enabled = ? WHERE id = ?")) {
        s.setInt(1, enabled ? 1 : 0);
        s.setString(2, id);
        return s.executeUpdate();
      }
    });
    return updated == 1 ? find(id) : Optional.empty();
  }

  private static List<String> checkRoles(List<String> roles) {
    for (String role : roles) {
      if (role == null || !ROLE.matcher(role).matches()) {
        throw new IllegalArgumentException("a role is 1 to 64 letters, digits or :._- characters, got: " + role);
      }
    }
    return List.copyOf(roles);
  }

  private static Optional<Account> one(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(account(rs)) : Optional.empty();
      }
    }
  }

  private static Account account(ResultSet rs) throws SQLException {
    String roles = rs.getString("roles").strip();
    User user = new User(rs.getString("id"), rs.getString("name"), rs.getString("email"),
        roles.isEmpty() ? List.of() : Arrays.asList(roles.split("\\s+")),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("password_changed_at")),
        rs.getInt("mfa_enabled") != 0);
    return new Account(user, rs.getString("password_hash"));
  }
}
