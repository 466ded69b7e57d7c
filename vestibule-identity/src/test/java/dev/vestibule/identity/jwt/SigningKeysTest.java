package dev.vestibule.identity.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.vestibule.identity.testing.MutableClock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  private static final Duration TTL = Duration.ofMinutes(30);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  @TempDir Path dir;

  @Test
  void createsAnEs256KeyOnFirstUseAndPublishesOnlyItsPublicPart() throws Exception {
    SigningKeys keys = new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL);
    JWKSet published = JWKSet.parse(keys.jwksJson());
    assertThat(published.getKeys()).hasSize(1);
    JWK key = published.getKeys().get(0);
    assertThat(key.isPrivate()).isFalse();
    assertThat(key.getKeyID()).isEqualTo(keys.signingKey().getKeyID());
    assertThat(key.getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
    assertThat(keys.jwksJson()).doesNotContain("\"d\"");
  }

  @Test
  void keysSurviveARestart() {
    Path file = dir.resolve("keys.json");
    String first = new SigningKeys(new FileKeyStore(file), clock, TTL).signingKey().getKeyID();
    assertThat(new SigningKeys(new FileKeyStore(file), clock, TTL).signingKey().getKeyID()).isEqualTo(first);
  }

  @Test
  void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("keys.json");
    new SigningKeys(new FileKeyStore(file), clock, TTL);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(JWKSet.parse(Files.readString(file)).getKeys().get(0).isPrivate()).isTrue();
  }

  @Test
  void rotationSignsWithTheNewKeyAndKeepsTheOldOnePublished() throws Exception {
    SigningKeys keys = new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL);
    String old = keys.signingKey().getKeyID();
    ECKey rotated = keys.rotate();
    assertThat(keys.signingKey().getKeyID()).isEqualTo(rotated.getKeyID()).isNotEqualTo(old);
    assertThat(keyIds(keys)).containsExactly(rotated.getKeyID(), old);
    assertThat(keys.verificationKey(old)).isPresent();
  }

  @Test
  void aReplacedKeyIsDroppedOnceEveryTokenItSignedHasExpired() throws Exception {
    SigningKeys keys = new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL);
    String first = keys.signingKey().getKeyID();
    String second = keys.rotate().getKeyID();
    clock.advance(TTL);
    String third = keys.rotate().getKeyID();
    assertThat(keyIds(keys)).containsExactly(third, second, first);

    clock.advance(SigningKeys.RELOAD_INTERVAL.multipliedBy(2).plusSeconds(1));
    String fourth = keys.rotate().getKeyID();
    assertThat(keyIds(keys)).containsExactly(fourth, third, second);
    assertThat(keys.verificationKey(first)).isEmpty();
  }

  @Test
  void anotherInstanceOnTheSameStoreFollowsARotation() {
    Path file = dir.resolve("keys.json");
    SigningKeys a = new SigningKeys(new FileKeyStore(file), clock, TTL);
    SigningKeys b = new SigningKeys(new FileKeyStore(file), clock, TTL, Duration.ZERO);
    String rotated = a.rotate().getKeyID();

    assertThat(b.verificationKey(rotated)).as("an unknown key id makes it look again").isPresent();
    clock.advance(SigningKeys.RELOAD_INTERVAL);
    assertThat(b.signingKey().getKeyID()).isEqualTo(rotated);
  }

  @Test
  void unknownKeyIdsCannotMakeItReloadMoreThanOnceASecond() {
    CountingStore store = new CountingStore(new FileKeyStore(dir.resolve("keys.json")));
    SigningKeys keys = new SigningKeys(store, clock, TTL);
    int loads = store.loads;
    for (int i = 0; i < 100; i++) assertThat(keys.verificationKey("forged-" + i)).isEmpty();
    assertThat(store.loads - loads).isLessThanOrEqualTo(1);
  }

  @Test
  void twoRotationsInOneSecondStillOrderTheKeys() {
    SigningKeys keys = new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL);
    keys.rotate();
    String last = keys.rotate().getKeyID();
    assertThat(keys.signingKey().getKeyID()).isEqualTo(last);
    assertThat(new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL).signingKey().getKeyID()).isEqualTo(last);
  }

  private static final class CountingStore implements SigningKeyStore {
    private final SigningKeyStore delegate;
    int loads;

    CountingStore(SigningKeyStore delegate) {
      this.delegate = delegate;
    }

    @Override public List<ECKey> load() { loads++; return delegate.load(); }
    @Override public void add(ECKey key) { delegate.add(key); }
    @Override public void remove(String keyId) { delegate.remove(keyId); }
  }

  private static List<String> keyIds(SigningKeys keys) throws Exception {
    return JWKSet.parse(keys.jwksJson()).getKeys().stream().map(JWK::getKeyID).toList();
  }
}
