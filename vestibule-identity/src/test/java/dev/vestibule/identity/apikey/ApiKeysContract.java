package dev.vestibule.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.identity.FieldError;
import dev.vestibule.identity.IdentityService;
import dev.vestibule.identity.IdentitySettings;
import dev.vestibule.identity.password.Argon2Params;
import dev.vestibule.identity.password.HashingPool;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.testing.MutableClock;
import dev.vestibule.identity.testing.RecordingMailer;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.identity.user.User;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * API keys of the built-in identity, run once per database (see the subclasses). The database lives for the whole
 * class; each test opens the service anew and uses users of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiKeysContract {
  static final String HOME = "203.0.113.9";
  static final String ELSEWHERE = "198.51.100.1";

  TestDatabase db;
  Throwable noDatabase;
  MutableClock clock;
  IdentityService identity;

  abstract TestDatabase createDatabase();

  @BeforeAll
  void createTheDatabase() {
    try {
      db = createDatabase();
    } catch (AssertionError | TestAbortedException e) {
      noDatabase = e;
    }
  }

  @AfterAll
  void dropTheDatabase() throws Exception {
    if (db != null) db.close();
  }

  @BeforeEach
  void openTheService() throws Throwable {
    if (noDatabase != null) throw noDatabase;
    clock = MutableClock.startingNow();
    identity = IdentityService.open(IdentitySettings.builder(db.url(), URI.create("https://gateway.example.org"))
        .argon2(new Argon2Params(4096, 1, 1)).hashing(new HashingPool(2, 64)).build(), new RecordingMailer(), clock);
  }

  @AfterEach
  void closeTheService() {
    if (identity != null) identity.close();
  }

  User newUser() throws Exception {
    return identity.register("Ada Lovelace", "user-" + UUID.randomUUID() + "@example.org", "tulip-anvil-orbit-57");
  }

  IssuedApiKey newKey(User user, Privilege privilege) throws Exception {
    return identity.createApiKey(user.id(), new NewApiKey("ci", privilege, Optional.empty(), Optional.empty()));
  }

  ApiKeyCheck.Verdict verdict(String rawKey, Privilege required, String from) {
    return identity.verifyApiKey(rawKey, required, from).verdict();
  }

  @Test
  void aNewKeyIsShownOnceAndThenKnownOnlyByItsMetadata() throws Exception {
    User user = newUser();
    IssuedApiKey issued = identity.createApiKey(user.id(), NewApiKey.parse(" deploy bot ", "restricted", null, null, clock.instant()));

    assertThat(issued.rawKey()).matches("vst_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}");
    assertThat(issued.toString()).doesNotContain(issued.rawKey());
    ApiKey key = issued.key();
    assertThat(key.tokenId()).isNotBlank();
    assertThat(key.userId()).isEqualTo(user.id());
    assertThat(key.name()).isEqualTo("deploy bot");
    assertThat(key.privilege()).isEqualTo(Privilege.RESTRICTED);
    assertThat(key.ipv4()).isEmpty();
    assertThat(key.createdAt()).isEqualTo(clock.instant());
    assertThat(key.expiresAt()).isEmpty();
    assertThat(key.lastUsedAt()).isEmpty();
    assertThat(key.usageCount()).isZero();
    assertThat(identity.apiKeys(user.id())).containsExactly(key);
    assertThat(identity.apiKey(user.id(), key.tokenId())).contains(key);
  }

  @Test
  void theAnswerAtCreationIsWhatLaterReadsGiveEvenWithAFinerClock() throws Exception {
    User user = newUser();
    clock.advance(Duration.ofNanos(1_234_567));
    IssuedApiKey issued = identity.createApiKey(user.id(), NewApiKey.parse("fine", "full", null, "P1D", clock.instant()));
    assertThat(identity.apiKey(user.id(), issued.key().tokenId())).contains(issued.key());
    clock.advance(Duration.ofNanos(1_234_567));
    ApiKey used = identity.verifyApiKey(issued.rawKey(), Privilege.FULL, HOME).key().orElseThrow();
    assertThat(identity.apiKey(user.id(), issued.key().tokenId())).contains(used);
  }

  @Test
  void theSecretIsStoredAsItsSha256Only() throws Exception {
    IssuedApiKey issued = newKey(newUser(), Privilege.DEMO);
    String secret = issued.rawKey().substring(issued.rawKey().lastIndexOf('_') + 1);
    String prefix = issued.rawKey().split("_")[1];
    String id = issued.key().tokenId();
    assertThat(db.queryString("SELECT secret_hash FROM api_keys WHERE id = ?", id)).contains(Secrets.storedForm(secret));
    assertThat(db.queryString("SELECT prefix FROM api_keys WHERE id = ?", id)).contains(prefix);
    assertThat(db.queryString("SELECT COUNT(*) FROM api_keys WHERE secret_hash = ? OR secret_hash = ?", secret, issued.rawKey()))
        .contains("0");
  }

  @Test
  void aKeyVerifiesWithItsOwnerAndMetadata() throws Exception {
    User user = newUser();
    IssuedApiKey issued = newKey(user, Privilege.PROTECTED);
    ApiKeyCheck check = identity.verifyApiKey(issued.rawKey(), Privilege.PROTECTED, ELSEWHERE);
    assertThat(check.accepted()).isTrue();
    ApiKey key = check.key().orElseThrow();
    assertThat(key.tokenId()).isEqualTo(issued.key().tokenId());
    assertThat(key.userId()).isEqualTo(user.id());
    assertThat(key.privilege()).isEqualTo(Privilege.PROTECTED);
    assertThat(key.usageCount()).isEqualTo(1);
  }

  @Test
  void aKeyReachesItsOwnPrivilegeAndEveryLowerOneButNoHigher() throws Exception {
    String raw = newKey(newUser(), Privilege.RESTRICTED).rawKey();
    assertThat(verdict(raw, Privilege.CUSTOM, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(raw, Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(raw, Privilege.RESTRICTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(raw, Privilege.PROTECTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);
    assertThat(verdict(raw, Privilege.FULL, HOME)).isEqualTo(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);
  }

  @Test
  void garbageMadeUpAndTamperedKeysAreUnknown() throws Exception {
    String raw = newKey(newUser(), Privilege.FULL).rawKey();
    String wrongSecret = raw.substring(0, raw.length() - 1) + (raw.endsWith("A") ? "B" : "A");
    String otherPrefix = "vst_AAAAAAAAAAAA" + raw.substring(raw.lastIndexOf('_'));
    for (String bad : new String[] {wrongSecret, otherPrefix, "garbage", "", null, raw + "x", "Bearer " + raw}) {
      assertThat(verdict(bad, Privilege.CUSTOM, HOME)).as("%s", bad).isEqualTo(ApiKeyCheck.Verdict.UNKNOWN);
    }
    assertThat(verdict(" " + raw + " ", Privilege.FULL, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
  }

  @Test
  void aKeyStopsAtItsExpiryAndIsStillListed() throws Exception {
    User user = newUser();
    IssuedApiKey issued = identity.createApiKey(user.id(), NewApiKey.parse("nightly", null, null, "PT1H", clock.instant()));
    assertThat(issued.key().expiresAt()).contains(clock.instant().plus(Duration.ofHours(1)));
    assertThat(issued.key().privilege()).isEqualTo(NewApiKey.DEFAULT_PRIVILEGE);

    clock.advance(Duration.ofMinutes(59));
    assertThat(verdict(issued.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    clock.advance(Duration.ofMinutes(1));
    assertThat(verdict(issued.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.EXPIRED);
    assertThat(identity.apiKeys(user.id())).singleElement().satisfies(key -> assertThat(key.expired(clock.instant())).isTrue());
  }

  @Test
  void anExpiredKeyStaysListedAndRotatableForThirtyDaysThenIsForgotten() throws Exception {
    User user = newUser();
    IssuedApiKey nightly = identity.createApiKey(user.id(), NewApiKey.parse("nightly", null, null, "PT1H", clock.instant()));
    IssuedApiKey weekly = identity.createApiKey(user.id(), NewApiKey.parse("weekly", null, null, "PT1H", clock.instant()));
    IssuedApiKey forever = newKey(user, Privilege.FULL);

    clock.advance(Duration.ofHours(1).plus(ApiKeys.KEPT_AFTER_EXPIRY).minusMinutes(1));
    identity.purgeExpired();
    assertThat(identity.apiKeys(user.id())).hasSize(3);
    IssuedApiKey revived = identity.rotateApiKey(user.id(), weekly.key().tokenId(),
        Optional.of(clock.instant().plus(Duration.ofDays(7)))).orElseThrow();

    clock.advance(Duration.ofMinutes(1));
    identity.purgeExpired();
    assertThat(identity.apiKeys(user.id())).extracting(ApiKey::tokenId)
        .containsExactlyInAnyOrder(weekly.key().tokenId(), forever.key().tokenId());
    assertThat(identity.apiKey(user.id(), nightly.key().tokenId())).isEmpty();
    assertThat(verdict(revived.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(forever.rawKey(), Privilege.FULL, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
  }

  @Test
  void anExpiryCanBeAnInstant() throws Exception {
    Instant at = clock.instant().plus(Duration.ofDays(30));
    IssuedApiKey issued = identity.createApiKey(newUser().id(), NewApiKey.parse("monthly", "demo", null, at.toString(), clock.instant()));
    assertThat(issued.key().expiresAt()).contains(at);
  }

  @Test
  void aRevokedKeyIsGoneForGood() throws Exception {
    User user = newUser();
    IssuedApiKey issued = newKey(user, Privilege.DEMO);
    IssuedApiKey other = newKey(user, Privilege.DEMO);
    assertThat(identity.revokeApiKey(user.id(), issued.key().tokenId())).isTrue();

    assertThat(verdict(issued.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.UNKNOWN);
    assertThat(identity.apiKeys(user.id())).extracting(ApiKey::tokenId).containsExactly(other.key().tokenId());
    assertThat(identity.revokeApiKey(user.id(), issued.key().tokenId())).isFalse();
    assertThat(identity.rotateApiKey(user.id(), issued.key().tokenId(), Optional.empty())).isEmpty();
    assertThat(verdict(other.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
  }

  @Test
  void rotationKillsTheOldKeyAndKeepsIdNamePrivilegeAndUsage() throws Exception {
    User user = newUser();
    IssuedApiKey first = newKey(user, Privilege.PROTECTED);
    identity.verifyApiKey(first.rawKey(), Privilege.DEMO, HOME);
    clock.advance(Duration.ofMinutes(5));

    IssuedApiKey rotated = identity.rotateApiKey(user.id(), first.key().tokenId(), Optional.empty()).orElseThrow();
    assertThat(rotated.rawKey()).isNotEqualTo(first.rawKey()).matches("vst_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}");
    assertThat(rotated.key().tokenId()).isEqualTo(first.key().tokenId());
    assertThat(rotated.key().name()).isEqualTo("ci");
    assertThat(rotated.key().privilege()).isEqualTo(Privilege.PROTECTED);
    assertThat(rotated.key().usageCount()).isEqualTo(1);
    assertThat(rotated.key().rotatedAt()).contains(clock.instant());

    assertThat(verdict(first.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.UNKNOWN);
    assertThat(verdict(rotated.rawKey(), Privilege.PROTECTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(db.queryString("SELECT COUNT(*) FROM api_keys WHERE user_id = ?", user.id())).contains("1");
  }

  @Test
  void rotationCanSetANewExpiryAndOtherwiseKeepsTheOld() throws Exception {
    User user = newUser();
    Instant in1Hour = clock.instant().plus(Duration.ofHours(1));
    IssuedApiKey first = identity.createApiKey(user.id(), new NewApiKey("ci", Privilege.DEMO, Optional.empty(), Optional.of(in1Hour)));
    assertThat(identity.rotateApiKey(user.id(), first.key().tokenId(), Optional.empty()).orElseThrow().key().expiresAt())
        .contains(in1Hour);
    Instant in1Day = clock.instant().plus(Duration.ofDays(1));
    IssuedApiKey rotated = identity.rotateApiKey(user.id(), first.key().tokenId(), Optional.of(in1Day)).orElseThrow();
    assertThat(rotated.key().expiresAt()).contains(in1Day);
    clock.advance(Duration.ofHours(2));
    assertThat(verdict(rotated.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
  }

  @Test
  void aPrivilegeUpdateTakesEffectAtTheNextRequest() throws Exception {
    User user = newUser();
    IssuedApiKey issued = newKey(user, Privilege.DEMO);
    assertThat(verdict(issued.rawKey(), Privilege.PROTECTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);

    ApiKey raised = identity.changeApiKeyPrivilege(user.id(), issued.key().tokenId(), Privilege.PROTECTED).orElseThrow();
    assertThat(raised.privilege()).isEqualTo(Privilege.PROTECTED);
    assertThat(verdict(issued.rawKey(), Privilege.PROTECTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);

    identity.changeApiKeyPrivilege(user.id(), issued.key().tokenId(), Privilege.CUSTOM);
    assertThat(verdict(issued.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);
  }

  @Test
  void anIpRestrictedKeyWorksOnlyFromItsNetwork() throws Exception {
    User user = newUser();
    IssuedApiKey issued = identity.createApiKey(user.id(), NewApiKey.parse("office", "full", "203.0.113.0/24", null, clock.instant()));
    assertThat(issued.key().ipv4()).contains(Ipv4Range.parse("203.0.113.0/24"));
    String raw = issued.rawKey();

    assertThat(verdict(raw, Privilege.FULL, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(raw, Privilege.FULL, "::ffff:203.0.113.200")).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(raw, Privilege.FULL, ELSEWHERE)).isEqualTo(ApiKeyCheck.Verdict.IP_NOT_ALLOWED);
    assertThat(verdict(raw, Privilege.FULL, "2001:db8::1")).isEqualTo(ApiKeyCheck.Verdict.IP_NOT_ALLOWED);
    assertThat(verdict(raw, Privilege.FULL, "unknown")).isEqualTo(ApiKeyCheck.Verdict.IP_NOT_ALLOWED);

    assertThat(identity.restrictApiKey(user.id(), issued.key().tokenId(), Optional.of(Ipv4Range.parse(ELSEWHERE)))
        .orElseThrow().ipv4()).contains(Ipv4Range.parse(ELSEWHERE));
    assertThat(verdict(raw, Privilege.FULL, HOME)).isEqualTo(ApiKeyCheck.Verdict.IP_NOT_ALLOWED);
    assertThat(verdict(raw, Privilege.FULL, ELSEWHERE)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);

    assertThat(identity.restrictApiKey(user.id(), issued.key().tokenId(), Optional.empty()).orElseThrow().ipv4()).isEmpty();
    assertThat(verdict(raw, Privilege.FULL, "2001:db8::1")).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
  }

  @Test
  void everyAcceptedUseIsCountedWithItsTimeAndRefusalsAreNot() throws Exception {
    User user = newUser();
    IssuedApiKey issued = newKey(user, Privilege.RESTRICTED);
    String id = issued.key().tokenId();

    identity.verifyApiKey(issued.rawKey(), Privilege.DEMO, HOME);
    clock.advance(Duration.ofMinutes(3));
    Instant second = clock.instant();
    identity.verifyApiKey(issued.rawKey(), Privilege.RESTRICTED, HOME);
    clock.advance(Duration.ofMinutes(3));
    identity.verifyApiKey(issued.rawKey(), Privilege.FULL, HOME);

    ApiKey key = identity.apiKey(user.id(), id).orElseThrow();
    assertThat(key.usageCount()).isEqualTo(2);
    assertThat(key.lastUsedAt()).contains(second);
  }

  @Test
  void concurrentUsesAreAllCounted() throws Exception {
    User user = newUser();
    IssuedApiKey issued = newKey(user, Privilege.DEMO);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Callable<ApiKeyCheck.Verdict>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) calls.add(() -> verdict(issued.rawKey(), Privilege.DEMO, HOME));
      for (Future<ApiKeyCheck.Verdict> answer : callers.invokeAll(calls)) {
        assertThat(answer.get()).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(identity.apiKey(user.id(), issued.key().tokenId()).orElseThrow().usageCount()).isEqualTo(200);
  }

  @Test
  void anotherUsersTokenIdIsNoKeyAtAll() throws Exception {
    User owner = newUser();
    User intruder = newUser();
    IssuedApiKey issued = newKey(owner, Privilege.DEMO);
    String id = issued.key().tokenId();

    assertThat(identity.apiKey(intruder.id(), id)).isEmpty();
    assertThat(identity.apiKeys(intruder.id())).isEmpty();
    assertThat(identity.revokeApiKey(intruder.id(), id)).isFalse();
    assertThat(identity.rotateApiKey(intruder.id(), id, Optional.empty())).isEmpty();
    assertThat(identity.restrictApiKey(intruder.id(), id, Optional.of(Ipv4Range.parse(ELSEWHERE)))).isEmpty();
    assertThat(identity.changeApiKeyPrivilege(intruder.id(), id, Privilege.FULL)).isEmpty();

    assertThat(identity.apiKey(owner.id(), id)).contains(issued.key());
    assertThat(verdict(issued.rawKey(), Privilege.DEMO, HOME)).isEqualTo(ApiKeyCheck.Verdict.ACCEPTED);
    assertThat(verdict(issued.rawKey(), Privilege.RESTRICTED, HOME)).isEqualTo(ApiKeyCheck.Verdict.PRIVILEGE_TOO_LOW);
  }

  @Test
  void unknownAndMissingTokenIdsChangeNothing() throws Exception {
    User user = newUser();
    assertThat(identity.apiKey(user.id(), "no-such-key")).isEmpty();
    assertThat(identity.apiKey(user.id(), null)).isEmpty();
    assertThat(identity.revokeApiKey(user.id(), null)).isFalse();
    assertThat(identity.rotateApiKey(user.id(), "no-such-key", Optional.empty())).isEmpty();
    assertThat(identity.changeApiKeyPrivilege(user.id(), null, Privilege.FULL)).isEmpty();
  }

  @Test
  void everyBadFieldOfANewKeyIsReportedAtOnce() {
    assertThatThrownBy(() -> NewApiKey.parse(" ", "admin", "10.0.0.1/8", "yesterday", clock.instant()))
        .isInstanceOfSatisfying(ApiKeyRequestException.class, e -> {
          assertThat(e.kind()).isEqualTo(ApiKeyRequestException.Kind.INVALID);
          assertThat(e.kind().status()).isEqualTo(400);
          assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "privilege", "ipv4", "expires");
        });
    assertThatThrownBy(() -> NewApiKey.parse("x".repeat(101), null, null, clock.instant().minusSeconds(1).toString(), clock.instant()))
        .isInstanceOfSatisfying(ApiKeyRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "expires"));
  }

  @Test
  void theServiceItselfRefusesAPastExpiryAndABlankName() throws Exception {
    User user = newUser();
    assertThatThrownBy(() -> identity.createApiKey(user.id(),
        new NewApiKey("late", Privilege.DEMO, Optional.empty(), Optional.of(clock.instant()))))
        .isInstanceOfSatisfying(ApiKeyRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("expires"));
    assertThatThrownBy(() -> identity.createApiKey(user.id(), new NewApiKey(null, Privilege.DEMO, Optional.empty(), Optional.empty())))
        .isInstanceOfSatisfying(ApiKeyRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name"));
    assertThat(identity.apiKeys(user.id())).isEmpty();
  }

  @Test
  void aUserHoldsAtMostAHundredKeys() throws Exception {
    User user = newUser();
    for (int i = 0; i < ApiKeys.MAX_KEYS_PER_USER; i++) newKey(user, Privilege.CUSTOM);
    assertThatThrownBy(() -> newKey(user, Privilege.CUSTOM)).isInstanceOfSatisfying(ApiKeyRequestException.class,
        e -> assertThat(e.kind()).isEqualTo(ApiKeyRequestException.Kind.TOO_MANY_KEYS));
    assertThat(newKey(newUser(), Privilege.CUSTOM).rawKey()).isNotBlank();
  }

  @Test
  void theDatabaseRefusesAnUnknownPrivilege() throws Exception {
    IssuedApiKey issued = newKey(newUser(), Privilege.DEMO);
    assertThatThrownBy(() -> db.update("UPDATE api_keys SET privilege = 'admin' WHERE id = ?", issued.key().tokenId()))
        .isInstanceOf(IllegalStateException.class);
  }
}
