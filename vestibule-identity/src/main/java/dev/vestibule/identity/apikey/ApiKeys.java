package dev.vestibule.identity.apikey;

import dev.vestibule.identity.FieldError;
import dev.vestibule.identity.db.Database;
import dev.vestibule.identity.secret.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys over JDBC. A key is {@code vst_<prefix>_<secret>}: the prefix finds its row, the secret is stored as a
 * SHA-256 hash and compared in constant time. A fast hash is right here, unlike for passwords: the secret carries
 * 256 random bits, so a stolen hash cannot be reversed by guessing, and every request with a key pays the hash, so
 * a slow one would only hand attackers a cheap way to burn CPU.
 *
 * <p>Every management call names the owner: a key of another user is treated as no key at all.
 */
public final class ApiKeys {
  /** How many keys one user may hold at once. */
  public static final int MAX_KEYS_PER_USER = 100;
  /** How long an expired key stays listed before {@link #purgeExpired} forgets it. */
  public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);
  private static final String COLUMNS =
      "id, user_id, name, privilege, ipv4, created_at, expires_at, rotated_at, last_used_at, usage_count";
  // Prefixes are random; a second collision in a row means something else is wrong.
  private static final int INSERT_ATTEMPTS = 3;

  private final Database db;
  private final Clock clock;

  public ApiKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * A new key for {@code userId}.
   *
   * @throws ApiKeyRequestException {@code INVALID} for a bad name or an expiry not in the future,
   *     {@code TOO_MANY_KEYS} when the user already holds {@link #MAX_KEYS_PER_USER}
   */
  public IssuedApiKey create(String userId, NewApiKey request) throws ApiKeyRequestException {
    Instant now = now();
    List<FieldError> problems = request.problems(now);
    if (!problems.isEmpty()) throw new ApiKeyRequestException(ApiKeyRequestException.Kind.INVALID, problems);
    if (count(userId) >= MAX_KEYS_PER_USER) {
      throw new ApiKeyRequestException(ApiKeyRequestException.Kind.TOO_MANY_KEYS, List.of(new FieldError("name",
          "You hold " + MAX_KEYS_PER_USER + " keys already; revoke one first.")));
    }
    ApiKey key = new ApiKey(UUID.randomUUID().toString(), userId, request.name().strip(), request.privilege(),
        request.ipv4(), now, request.expiresAt().map(at -> at.truncatedTo(ChronoUnit.MILLIS)), Optional.empty(),
        Optional.empty(), 0);
    for (int attempt = 1; ; attempt++) {
      RawKey raw = RawKey.generate();
      if (insert(key, raw)) return new IssuedApiKey(key, raw.text());
      if (attempt == INSERT_ATTEMPTS) throw new IllegalStateException("could not find a free API key prefix");
    }
  }

  /** The keys of {@code userId}, oldest first, expired ones included. */
  public List<ApiKey> list(String userId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at, id")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          List<ApiKey> keys = new ArrayList<>();
          while (rs.next()) keys.add(key(rs));
          return keys;
        }
      }
    });
  }

  /**
   * Forgets keys expired for longer than {@link #KEPT_AFTER_EXPIRY}. Until then an expired key stays listed, so its
   * owner sees why a job stopped and can rotate it with a new expiry; it still counts towards
   * {@link #MAX_KEYS_PER_USER}.
   */
  public int purgeExpired() {
    long before = now().minus(KEPT_AFTER_EXPIRY).toEpochMilli();
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM api_keys WHERE expires_at <= ?")) {
        s.setLong(1, before);
        return s.executeUpdate();
      }
    });
  }

  /** The key {@code tokenId} if {@code userId} owns it. */
  public Optional<ApiKey> find(String userId, String tokenId) {
    if (userId == null || tokenId == null) return Optional.empty();
    return db.read(c -> find(c, userId, tokenId));
  }

  /** Ends the key {@code tokenId} of {@code userId} for good; false when there is no such key. */
  public boolean revoke(String userId, String tokenId) {
    if (userId == null || tokenId == null) return false;
    return update("DELETE FROM api_keys WHERE id = ? AND user_id = ?", s -> {
      s.setString(1, tokenId);
      s.setString(2, userId);
    });
  }

  /**
   * Replaces the key {@code tokenId} of {@code userId} by a new one with the same id, name, privilege,
   * restriction and counts; the old key stops working at once.
   *
   * @param expiresAt a new expiry, or empty to keep the current one
   */
  public Optional<IssuedApiKey> rotate(String userId, String tokenId, Optional<Instant> expiresAt) {
    if (userId == null || tokenId == null) return Optional.empty();
    Instant now = now();
    for (int attempt = 1; ; attempt++) {
      RawKey raw = RawKey.generate();
      Optional<Boolean> rotated = db.read(c -> {
        try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET prefix = ?, secret_hash = ?, rotated_at = ?,"
            + " expires_at = COALESCE(?, expires_at) WHERE id = ? AND user_id = ?")) {
          s.setString(1, raw.prefix());
          s.setString(2, Secrets.storedForm(raw.secret()));
          s.setLong(3, now.toEpochMilli());
          if (expiresAt.isPresent()) s.setLong(4, expiresAt.get().toEpochMilli()); else s.setNull(4, Types.BIGINT);
          s.setString(5, tokenId);
          s.setString(6, userId);
          return Optional.of(s.executeUpdate() == 1);
        } catch (SQLException e) {
          if (db.dialect().isUniqueViolation(e)) return Optional.empty();
          throw e;
        }
      });
      if (rotated.isPresent()) {
        return rotated.get() ? find(userId, tokenId).map(key -> new IssuedApiKey(key, raw.text())) : Optional.empty();
      }
      if (attempt == INSERT_ATTEMPTS) throw new IllegalStateException("could not find a free API key prefix");
    }
  }

  /** Sets where the key may be used from (empty: anywhere); empty when there is no such key. */
  public Optional<ApiKey> restrict(String userId, String tokenId, Optional<Ipv4Range> ipv4) {
    if (userId == null || tokenId == null) return Optional.empty();
    boolean changed = update("UPDATE api_keys SET ipv4 = ? WHERE id = ? AND user_id = ?", s -> {
      s.setString(1, ipv4.map(Ipv4Range::toString).orElse(null));
      s.setString(2, tokenId);
      s.setString(3, userId);
    });
    return changed ? find(userId, tokenId) : Optional.empty();
  }

  /** Sets the key's privilege; empty when there is no such key. */
  public Optional<ApiKey> changePrivilege(String userId, String tokenId, Privilege privilege) {
    if (userId == null || tokenId == null) return Optional.empty();
    boolean changed = update("UPDATE api_keys SET privilege = ? WHERE id = ? AND user_id = ?", s -> {
      s.setString(1, privilege.label());
      s.setString(2, tokenId);
      s.setString(3, userId);
    });
    return changed ? find(userId, tokenId) : Optional.empty();
  }

  /**
   * Checks a key presented from {@code clientAddress} for something that needs {@code required}, and counts a use
   * when it is accepted.
   */
  public ApiKeyCheck verify(String rawKey, Privilege required, String clientAddress) {
    Optional<RawKey> raw = RawKey.parse(rawKey);
    if (raw.isEmpty()) return ApiKeyCheck.refused(ApiKeyCheck.Verdict.UNKNOWN);
    String presented = Secrets.storedForm(raw.get().secret());
    Instant now = now();
    return db.read(c -> {
      Stored stored = findByPrefix(c, raw.get().prefix());
      // The prefix is public, so finding its row tells nothing; the secret is compared without an early exit.
      if (stored == null || !MessageDigest.isEqual(bytes(presented), bytes(stored.secretHash()))) {
        return ApiKeyCheck.refused(ApiKeyCheck.Verdict.UNKNOWN);
      }
      ApiKey key = stored.key();
      if (key.expired(now)) return ApiKeyCheck.refused(ApiKeyCheck.Verdict.EXPIRED);
      if (key.ipv4().isPresent() && !key.ipv4().get().contains(clientAddress)) {
        return ApiKeyCheck.refused(ApiKeyCheck.Verdict.IP_NOT_ALLOWED);
      }
      if (!key.privilege().atLeast(required)) return ApiKeyCheck.refused(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);
      try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET usage_count = usage_count + 1, last_used_at = ?"
          + " WHERE id = ? AND secret_hash = ?")) {
        s.setLong(1, now.toEpochMilli());
        s.setString(2, key.tokenId());
        s.setString(3, stored.secretHash());
        // Revoked or rotated since it was read: the key presented is gone.
        if (s.executeUpdate() != 1) return ApiKeyCheck.refused(ApiKeyCheck.Verdict.UNKNOWN);
      }
      return ApiKeyCheck.accepted(new ApiKey(key.tokenId(), key.userId(), key.name(), key.privilege(), key.ipv4(),
          key.createdAt(), key.expiresAt(), key.rotatedAt(), Optional.of(now), key.usageCount() + 1));
    });
  }

  // Instants are stored in milliseconds: an answer must not be more precise than what a later read gives.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private boolean insert(ApiKey key, RawKey raw) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ", prefix, secret_hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?, ?)")) {
        s.setString(1, key.tokenId());
        s.setString(2, key.userId());
        s.setString(3, key.name());
        s.setString(4, key.privilege().label());
        s.setString(5, key.ipv4().map(Ipv4Range::toString).orElse(null));
        s.setLong(6, key.createdAt().toEpochMilli());
        if (key.expiresAt().isPresent()) s.setLong(7, key.expiresAt().get().toEpochMilli()); else s.setNull(7, Types.BIGINT);
        s.setString(8, raw.prefix());
        s.setString(9, Secrets.storedForm(raw.secret()));
        s.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (db.dialect().isUniqueViolation(e)) return false;
        throw e;
      }
    });
  }

  private int count(String userId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_keys WHERE user_id = ?")) {
        s.setString(1, userId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  private boolean update(String sql, Parameters parameters) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        parameters.set(s);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static Optional<ApiKey> find(Connection c, String userId, String tokenId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ? AND user_id = ?")) {
      s.setString(1, tokenId);
      s.setString(2, userId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(key(rs)) : Optional.empty();
      }
    }
  }

  private static Stored findByPrefix(Connection c, String prefix) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", secret_hash FROM api_keys WHERE prefix = ?")) {
      s.setString(1, prefix);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new Stored(key(rs), rs.getString("secret_hash")) : null;
      }
    }
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    String ipv4 = rs.getString("ipv4");
    return new ApiKey(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
        Privilege.fromLabel(rs.getString("privilege")).orElse(Privilege.CUSTOM),
        ipv4 == null ? Optional.empty() : Optional.of(Ipv4Range.parse(ipv4)),
        Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "expires_at"), instant(rs, "rotated_at"),
        instant(rs, "last_used_at"), rs.getLong("usage_count"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private static byte[] bytes(String hex) {
    return hex.getBytes(StandardCharsets.US_ASCII);
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement s) throws SQLException;
  }

  private record Stored(ApiKey key, String secretHash) {}
}
