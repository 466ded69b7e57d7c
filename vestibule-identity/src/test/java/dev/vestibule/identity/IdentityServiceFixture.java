package dev.vestibule.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.identity.mail.Mailer;
import dev.vestibule.identity.mail.SmtpMailer;
import dev.vestibule.identity.password.Argon2Params;
import dev.vestibule.identity.password.HashingPool;
import dev.vestibule.identity.testing.MutableClock;
import dev.vestibule.identity.testing.RecordingMailer;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.identity.user.User;
import dev.vestibule.token.TokenRejectedException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.TestAbortedException;

/**
 * An identity service on a real database, opened anew for each test with a clock the test moves and mails going to
 * a real SMTP server (GreenMail). The database lives for the whole class; tests use addresses of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdentityServiceFixture {
  static final String ISSUER = "https://gateway.example.org";
  static final Argon2Params CHEAP = new Argon2Params(4096, 1, 1);
  static final Duration ACCESS_TTL = Duration.ofMinutes(30);
  static final Duration REFRESH_TTL = Duration.ofDays(7);
  static final Duration GRACE = Duration.ofSeconds(60);
  static final Duration RESET_TTL = Duration.ofMinutes(30);
  static final Duration MAGIC_LINK_TTL = Duration.ofMinutes(15);
  static final Duration MFA_CODE_TTL = Duration.ofMinutes(10);
  static final String PASSWORD = "tulip-anvil-orbit-57";
  static final String RESET_PAGE = "https://app.example.org/reset-password";
  // The files under src/main/resources/db/migration.
  static final int MIGRATIONS = 3;

  // A real SMTP server on a free port; every mail of the service goes there.
  @RegisterExtension
  final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  TestDatabase db;
  // Why the database could not be had; every test reports it (fails, or is skipped when that was asked for).
  Throwable noDatabase;
  MutableClock clock;
  RecordingMailer recorded;
  volatile Mailer mailTarget;
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
    recorded = new RecordingMailer();
    mailTarget = SmtpMailer.of(URI.create("smtp://127.0.0.1:" + smtp.getSmtp().getPort()), "vestibule@example.org");
    identity = open();
  }

  @AfterEach
  void closeTheService() {
    if (identity != null) identity.close();
  }

  IdentityService open() {
    return IdentityService.open(settings().build(), mail -> mailTarget.send(mail), clock);
  }

  IdentitySettings.Builder settings() {
    return IdentitySettings.builder(db.url(), URI.create(ISSUER + "/"))
        .accessTokenTtl(ACCESS_TTL)
        .refreshTokenTtl(REFRESH_TTL)
        .refreshGrace(GRACE)
        .resetTtl(RESET_TTL)
        .magicLinkTtl(MAGIC_LINK_TTL)
        .mfaCodeTtl(MFA_CODE_TTL)
        .clients(List.of(OAuthClient.publicClient("web"), OAuthClient.publicClient("mobile"),
            OAuthClient.confidential("backend", "backend-secret-0123456789abcdef")))
        .argon2(CHEAP)
        .hashing(new HashingPool(2, 64));
  }

  static String newEmail() {
    return "user-" + UUID.randomUUID() + "@example.org";
  }

  User newUser() throws RegistrationException {
    return identity.register("Ada Lovelace", newEmail(), PASSWORD);
  }

  String storedHash(String userId) {
    return db.queryString("SELECT password_hash FROM users WHERE id = ?", userId).orElseThrow();
  }

  static void assertRejected(ThrowingCallable call, String error) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
