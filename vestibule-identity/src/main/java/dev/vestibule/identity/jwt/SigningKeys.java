package dev.vestibule.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The ES256 keys that sign access tokens. The newest key signs; older ones stay published and keep verifying until
 * every token they signed has expired, so a rotation logs nobody out. Keys are re-read from the store every minute
 * (and when a token names an unknown key), so instances sharing a store follow each other's rotations.
 */
public final class SigningKeys {
  public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;
  static final Duration RELOAD_INTERVAL = Duration.ofMinutes(1);
  // Tokens naming unknown keys may be forged by anyone: they may cost a reload this often, no more.
  static final Duration UNKNOWN_KEY_RELOAD_INTERVAL = Duration.ofSeconds(1);
  private static final Comparator<ECKey> OLDEST_FIRST =
      Comparator.comparing((ECKey k) -> k.getIssueTime().toInstant()).thenComparing(JWK::getKeyID);

  private final SigningKeyStore store;
  private final Clock clock;
  private final Duration retention;
  private volatile List<ECKey> keys = List.of();
  private final long unknownKeyReloadNanos;
  private volatile Instant loadedAt = Instant.MIN;
  private volatile long unknownKeyReloadedAt;

  /**
   * @param accessTokenTtl the longest a signed token stays valid: how long a replaced key must still verify
   */
  public SigningKeys(SigningKeyStore store, Clock clock, Duration accessTokenTtl) {
    this(store, clock, accessTokenTtl, UNKNOWN_KEY_RELOAD_INTERVAL);
  }

  SigningKeys(SigningKeyStore store, Clock clock, Duration accessTokenTtl, Duration unknownKeyReloadInterval) {
    this.store = store;
    this.unknownKeyReloadNanos = unknownKeyReloadInterval.toNanos();
    this.unknownKeyReloadedAt = System.nanoTime() - unknownKeyReloadNanos;
    this.clock = clock;
    // Another instance may sign with the old key until its next reload.
    this.retention = accessTokenTtl.plus(RELOAD_INTERVAL.multipliedBy(2));
    synchronized (this) {
      reload();
      if (keys.isEmpty()) addNewKey();
    }
  }

  /** The key that signs new tokens. */
  public ECKey signingKey() {
    if (stale()) reloadNow();
    List<ECKey> current = keys;
    return current.get(current.size() - 1);
  }

  /** The public key with id {@code keyId}, if it may still verify tokens. */
  public Optional<ECKey> verificationKey(String keyId) {
    Optional<ECKey> key = find(keyId);
    long now = System.nanoTime();
    if (key.isEmpty() && keyId != null && now - unknownKeyReloadedAt >= unknownKeyReloadNanos) {
      // Probably signed by another instance right after it rotated.
      unknownKeyReloadedAt = now;
      reloadNow();
      key = find(keyId);
    }
    return key.map(ECKey::toPublicJWK);
  }

  /** The public keys as a JWK Set document (RFC 7517), newest first. */
  public String jwksJson() {
    if (stale()) reloadNow();
    List<JWK> published = new ArrayList<>();
    for (ECKey key : keys.reversed()) {
      published.add(new ECKey.Builder(key.getCurve(), key.getX(), key.getY())
          .keyID(key.getKeyID()).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM).build());
    }
    return new JWKSet(published).toString();
  }

  /**
   * Starts signing with a new key. Tokens signed before keep verifying until they expire; keys whose every token
   * has expired are dropped.
   */
  public synchronized ECKey rotate() {
    reload();
    ECKey key = addNewKey();
    prune();
    return key;
  }

  private Optional<ECKey> find(String keyId) {
    if (keyId == null) return Optional.empty();
    return keys.stream().filter(k -> keyId.equals(k.getKeyID())).findFirst();
  }

  private boolean stale() {
    return !clock.instant().isBefore(loadedAt.plus(RELOAD_INTERVAL));
  }

  private synchronized void reloadNow() {
    reload();
  }

  private void reload() {
    List<ECKey> loaded = new ArrayList<>(store.load());
    if (!loaded.isEmpty()) {
      loaded.sort(OLDEST_FIRST);
      keys = List.copyOf(loaded);
    }
    loadedAt = clock.instant();
  }

  private ECKey addNewKey() {
    Instant issued = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (!keys.isEmpty()) {
      // Issue times have whole seconds; a new key must sort after every existing one to become the signing key.
      Instant newest = keys.get(keys.size() - 1).getIssueTime().toInstant();
      if (!issued.isAfter(newest)) issued = newest.plusSeconds(1);
    }
    ECKey key;
    try {
      key = new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(ALGORITHM)
          .issueTime(Date.from(issued))
          .keyIDFromThumbprint(true)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
    store.add(key);
    List<ECKey> updated = new ArrayList<>(keys);
    updated.add(key);
    updated.sort(OLDEST_FIRST);
    keys = List.copyOf(updated);
    return key;
  }

  private void prune() {
    Instant now = clock.instant();
    List<ECKey> current = keys;
    List<ECKey> kept = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      boolean newest = i == current.size() - 1;
      Instant replacedAt = newest ? null : current.get(i + 1).getIssueTime().toInstant();
      if (newest || now.isBefore(replacedAt.plus(retention))) kept.add(current.get(i));
      else store.remove(current.get(i).getKeyID());
    }
    keys = List.copyOf(kept);
  }
}
