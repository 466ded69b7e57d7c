package dev.vestibule.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.identity.db.DatabaseUnavailableException;
import dev.vestibule.identity.jwt.AccessTokenClaims;
import dev.vestibule.identity.mail.MailDeliveryException;
import dev.vestibule.identity.mail.Mailer;
import dev.vestibule.identity.mail.SmtpMailer;
import dev.vestibule.identity.password.Argon2Params;
import dev.vestibule.identity.password.HashingPool;
import dev.vestibule.identity.password.PasswordHasher;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.identity.testing.IndependentJwtVerifier;
import dev.vestibule.identity.testing.MutableClock;
import dev.vestibule.identity.testing.RecordingMailer;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.identity.user.User;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Every behaviour of the built-in identity, run once per database (see the subclasses). The database lives for the
 * whole class; each test opens the service anew and uses addresses of its own.
 */
abstract class IdentityServiceContract extends IdentityServiceFixture {
  // ---- registration ----

  @Test
  void aNewUserGetsAnIdTheDefaultRoleAndIsListed() throws Exception {
    String email = newEmail();
    User user = identity.register("  Ada Lovelace ", email, PASSWORD);

    assertThat(user.id()).isNotBlank();
    assertThat(user.name()).isEqualTo("Ada Lovelace");
    assertThat(user.email()).isEqualTo(email);
    assertThat(user.roles()).containsExactly("user");
    assertThat(user.createdAt()).isEqualTo(clock.instant());
    assertThat(identity.user(user.id())).contains(user);
    assertThat(identity.users()).contains(user);
    assertThat(identity.user("no-such-id")).isEmpty();
  }

  @Test
  void thePasswordIsStoredAsAnArgon2idHashOnly() throws Exception {
    User user = newUser();
    assertThat(storedHash(user.id())).startsWith("$argon2id$v=19$m=4096,t=1,p=1$").doesNotContain(PASSWORD);
  }

  @Test
  void anEmailTakenInAnotherCaseIsAConflict() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    assertThatThrownBy(() -> identity.register("Eve", "  " + email.toUpperCase() + " ", "another-fine-password"))
        .isInstanceOfSatisfying(RegistrationException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistrationException.Kind.EMAIL_TAKEN);
          assertThat(e.kind().status()).isEqualTo(409);
          assertThat(e.errors()).extracting(FieldError::field).containsExactly("email");
        });
  }

  @Test
  void theDatabaseItselfRefusesASecondAccountForOneAddress() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    assertThatThrownBy(() -> db.update("INSERT INTO users (id, name, email, email_key, password_hash, roles, created_at, password_changed_at)"
        + " VALUES ('x-" + UUID.randomUUID() + "', 'Eve', ?, ?, 'h', 'user', 0, 0)", email.toUpperCase(), email.toLowerCase()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(identity.user(user.id())).isPresent();
  }

  @Test
  void weakPasswordsAreRefusedWithAPasswordError() {
    for (String weak : List.of("short", "password1234", "QwertyUiop123")) {
      assertThatThrownBy(() -> identity.register("Ada", newEmail(), weak))
          .isInstanceOfSatisfying(RegistrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(RegistrationException.Kind.INVALID);
            assertThat(e.kind().status()).isEqualTo(400);
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("password");
          });
    }
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    assertThatThrownBy(() -> identity.register(" ", "not-an-email", "short"))
        .isInstanceOfSatisfying(RegistrationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "email", "password"));
    assertThatThrownBy(() -> identity.register(null, null, null))
        .isInstanceOfSatisfying(RegistrationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "email", "password"));
  }

  @Test
  void rolesAreStoredPerUserAndReachNewTokens() throws Exception {
    User user = newUser();
    assertThat(identity.setRoles(user.id(), List.of("user", "admin")).orElseThrow().roles()).containsExactly("user", "admin");
    TokenSet tokens = identity.login(user, "web");
    assertThat(identity.verifyAccessToken(tokens.accessToken()).roles()).containsExactly("user", "admin");
    assertThat(identity.setRoles("no-such-id", List.of("user"))).isEmpty();
  }

  // ---- authentication ----

  @Test
  void theRightPasswordAuthenticatesWhateverTheCaseOfTheEmail() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    assertThat(identity.authenticate(email, PASSWORD)).contains(user);
    assertThat(identity.authenticate(" " + email.toUpperCase(), PASSWORD)).contains(user);
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGiveTheSameAnswer() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    assertThat(identity.authenticate(email, "wrong-password-123")).isEmpty();
    assertThat(identity.authenticate(newEmail(), PASSWORD)).isEmpty();
    assertThat(identity.authenticate(null, null)).isEmpty();
  }

  @Test
  void anUnknownEmailStillCostsOnePasswordVerification() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    PasswordHasher hasher = identity.passwordHasher();

    long before = hasher.verifications();
    identity.authenticate(newEmail(), PASSWORD);
    assertThat(hasher.verifications()).isEqualTo(before + 1);

    before = hasher.verifications();
    identity.authenticate(email, "wrong-password-123");
    assertThat(hasher.verifications()).isEqualTo(before + 1);
  }

  @Test
  void aBcryptHashImportedAsARowLogsInAndIsUpgradedToArgon2id() throws Exception {
    // $2b$ and $2a$ hashes of "imported from rails", made by libxcrypt as another stack would have.
    for (String bcrypt : List.of("$2b$10$871SmFCfFor3EZQdpk6WRO85H4hzV15dYecfi2FMNZKHJ3hH4Pbn6",
        "$2a$10$2noD.44LIuL1jCWq5c98uOeD7qIaC6twSmPNfIybZhi9xQcPOdkSG")) {
      String id = UUID.randomUUID().toString();
      String email = newEmail();
      db.update("INSERT INTO users (id, name, email, email_key, password_hash, roles, created_at, password_changed_at)"
          + " VALUES (?, 'Grace', ?, ?, ?, 'user', 1000, 1000)", id, email, email, bcrypt);

      assertThat(identity.authenticate(email, "wrong password here")).isEmpty();
      assertThat(storedHash(id)).isEqualTo(bcrypt);

      assertThat(identity.authenticate(email, "imported from rails")).hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(id));
      assertThat(storedHash(id)).startsWith("$argon2id$v=19$m=4096,t=1,p=1$");
      assertThat(identity.authenticate(email, "imported from rails")).isPresent();
      assertThat(identity.user(id).orElseThrow().passwordChangedAt()).isEqualTo(Instant.ofEpochMilli(1000));
    }
  }

  @Test
  void importUserTakesA2yHashFromPhp() throws Exception {
    String email = newEmail();
    User user = identity.importUser("Linus", email, "$2y$10$lhbJMbnOQh2msRSAVc.pmuT6lYxxOyfvTdxegQ20dBs10nOFuBBNW", List.of("user"));
    assertThat(identity.authenticate(email, "imported from rails")).contains(user);
    assertThat(storedHash(user.id())).startsWith("$argon2id$");
    assertThatThrownBy(() -> identity.importUser("Linus", newEmail(), "md5:abcdef", List.of("user")))
        .isInstanceOf(RegistrationException.class);
  }

  @Test
  void anArgon2idHashOfAWeakerCostIsUpgradedAtLogin() throws Exception {
    String email = newEmail();
    String weak;
    try (PasswordHasher other = new PasswordHasher(new Argon2Params(1024, 1, 1), new HashingPool(1, 1))) {
      weak = other.hash(PASSWORD);
    }
    User user = identity.importUser("Ada", email, weak, List.of("user"));
    assertThat(identity.authenticate(email, PASSWORD)).isPresent();
    assertThat(storedHash(user.id())).startsWith("$argon2id$v=19$m=4096,t=1,p=1$");
  }

  // ---- access tokens and signing keys ----

  @Test
  void loginIssuesAJwtThatJose4jVerifiesAgainstTheJwks() throws Exception {
    User user = newUser();
    TokenSet tokens = identity.login(user, "mobile");

    JwtClaims claims = IndependentJwtVerifier.verify(tokens.accessToken(), identity.jwksJson(), ISSUER, "mobile", clock.instant());
    assertThat(claims.getSubject()).isEqualTo(user.id());
    assertThat(claims.getIssuer()).isEqualTo(ISSUER);
    assertThat(claims.getAudience()).containsExactly("mobile");
    assertThat(claims.getIssuedAt().getValue()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(claims.getExpirationTime().getValue()).isEqualTo(clock.instant().plus(ACCESS_TTL).getEpochSecond());
    assertThat(claims.getJwtId()).isNotBlank();
    assertThat(claims.getStringListClaimValue("roles")).containsExactly("user");
    assertThat(tokens.accessExpiresAt()).contains(clock.instant().plus(ACCESS_TTL));
    assertThat(tokens.refreshToken()).isPresent();
    assertThat(tokens.idToken()).isEmpty();
  }

  @Test
  void anUnknownClientGetsNoTokens() throws Exception {
    User user = newUser();
    assertRejected(() -> identity.login(user, "stranger"), "invalid_client");
    assertRejected(() -> identity.login(user, null), "invalid_client");
  }

  @Test
  void verifyAccessTokenChecksSignatureExpiryAndAudience() throws Exception {
    User user = newUser();
    String token = identity.login(user, "web").accessToken();
    AccessTokenClaims claims = identity.verifyAccessToken(token);
    assertThat(claims.subject()).isEqualTo(user.id());
    assertThat(claims.audience()).isEqualTo("web");

    clock.advance(ACCESS_TTL);
    assertRejected(() -> identity.verifyAccessToken(token), "invalid_token");
    assertRejected(() -> identity.verifyAccessToken(token.substring(0, token.length() - 4) + "AAAA"), "invalid_token");
  }

  @Test
  void aServiceWithAnotherIssuerRejectsTheTokens() throws Exception {
    String token = identity.login(newUser(), "web").accessToken();
    try (IdentityService other = IdentityService.open(settings().build(), recorded, clock);
         IdentityService elsewhere = IdentityService.open(
             IdentitySettings.builder(db.url(), URI.create("https://other.example.org")).argon2(CHEAP).build(), recorded, clock)) {
      assertThat(other.verifyAccessToken(token).subject()).isNotBlank();
      assertRejected(() -> elsewhere.verifyAccessToken(token), "invalid_token");
    }
  }

  @Test
  void theDiscoveryDocumentNamesIssuerKeysAndEndpoints() {
    Map<String, Object> doc = identity.openidConfiguration();
    assertThat(doc).containsEntry("issuer", ISSUER)
        .containsEntry("jwks_uri", ISSUER + "/.well-known/jwks.json")
        .containsEntry("token_endpoint", ISSUER + "/oauth/token")
        .containsEntry("revocation_endpoint", ISSUER + "/oauth/revoke")
        .containsEntry("grant_types_supported", List.of("password", "refresh_token"));
  }

  @Test
  void rotatingTheSigningKeyLogsNobodyOut() throws Exception {
    User user = newUser();
    TokenSet before = identity.login(user, "web");
    String oldKid = SignedJWT.parse(before.accessToken()).getHeader().getKeyID();

    identity.rotateSigningKey();
    TokenSet after = identity.refresh(before.refreshToken().orElseThrow(), "web");
    String newKid = SignedJWT.parse(after.accessToken()).getHeader().getKeyID();

    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(JWKSet.parse(identity.jwksJson()).getKeys()).extracting(JWK::getKeyID).contains(oldKid, newKid);
    for (String token : List.of(before.accessToken(), after.accessToken())) {
      assertThat(identity.verifyAccessToken(token).subject()).isEqualTo(user.id());
      IndependentJwtVerifier.verify(token, identity.jwksJson(), ISSUER, "web", clock.instant());
    }
  }

  @Test
  void signingKeysSurviveARestartAndAreSharedByInstancesOfOneDatabase() throws Exception {
    User user = newUser();
    String token = identity.login(user, "web").accessToken();
    try (IdentityService restarted = open()) {
      assertThat(restarted.verifyAccessToken(token).subject()).isEqualTo(user.id());
      identity.rotateSigningKey();
      String signedAfterRotation = identity.login(user, "web").accessToken();
      assertThat(restarted.verifyAccessToken(signedAfterRotation).subject()).isEqualTo(user.id());
    }
  }

  @Test
  void signingKeysCanLiveInAFileInstead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys").resolve("signing-keys.json");
    try (IdentityService withFile = IdentityService.open(settings().keyFile(file).build(), recorded, clock)) {
      String token = withFile.login(newUser(), "web").accessToken();
      String kid = SignedJWT.parse(token).getHeader().getKeyID();
      assertThat(Files.readString(file)).contains(kid);
      assertThat(JWKSet.parse(withFile.jwksJson()).getKeys()).extracting(JWK::getKeyID).containsExactly(kid);
    }
  }

  // ---- refresh tokens ----

  @Test
  void everyRefreshRotatesTheRefreshTokenAndIssuesAFreshAccessToken() throws Exception {
    User user = newUser();
    TokenSet first = identity.login(user, "web");
    clock.advance(Duration.ofMinutes(5));
    TokenSet second = identity.refresh(first.refreshToken().orElseThrow(), "web");

    assertThat(second.refreshToken().orElseThrow()).isNotEqualTo(first.refreshToken().orElseThrow());
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(second.accessExpiresAt()).contains(clock.instant().plus(ACCESS_TTL));
    assertThat(identity.verifyAccessToken(second.accessToken()).subject()).isEqualTo(user.id());
    assertThat(identity.refresh(second.refreshToken().orElseThrow(), "web").refreshToken()).isPresent();
  }

  @Test
  void refreshTokensAreStoredHashed() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    assertThat(db.queryString("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?", refresh)).contains("0");
    assertThat(db.queryString("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?",
        Secrets.storedForm(refresh))).contains("1");
  }

  @Test
  void reuseWithinTheGraceAnswersWithTheFamilysCurrentTokenAndAFreshAccessToken() throws Exception {
    User user = newUser();
    String r1 = identity.login(user, "web").refreshToken().orElseThrow();
    TokenSet rotated = identity.refresh(r1, "web");
    String r2 = rotated.refreshToken().orElseThrow();

    clock.advance(GRACE.minusSeconds(1));
    TokenSet late = identity.refresh(r1, "web");
    assertThat(late.refreshToken()).contains(r2);
    assertThat(identity.verifyAccessToken(late.accessToken()).jwtId())
        .isNotEqualTo(identity.verifyAccessToken(rotated.accessToken()).jwtId());
    assertThat(identity.refresh(r2, "web").refreshToken()).isPresent();
  }

  @Test
  void reuseWithinTheGraceAfterSeveralRotationsAnswersWithTheLatestToken() throws Exception {
    String r1 = identity.login(newUser(), "web").refreshToken().orElseThrow();
    String r2 = identity.refresh(r1, "web").refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(10));
    String r3 = identity.refresh(r2, "web").refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(10));

    assertThat(identity.refresh(r1, "web").refreshToken()).contains(r3);
    assertThat(identity.refresh(r2, "web").refreshToken()).contains(r3);
    String r4 = identity.refresh(r3, "web").refreshToken().orElseThrow();
    assertThat(r4).isNotIn(r1, r2, r3);
  }

  @Test
  void reuseAfterTheGraceRevokesThatLoginButNotTheUsersOthers() throws Exception {
    User user = newUser();
    String laptop = identity.login(user, "web").refreshToken().orElseThrow();
    String phone = identity.login(user, "mobile").refreshToken().orElseThrow();
    String laptopRotated = identity.refresh(laptop, "web").refreshToken().orElseThrow();

    clock.advance(GRACE.plusSeconds(1));
    assertRejected(() -> identity.refresh(laptop, "web"), "invalid_grant");
    assertRejected(() -> identity.refresh(laptopRotated, "web"), "invalid_grant");
    assertThat(identity.refresh(phone, "mobile").refreshToken()).isPresent();
    assertThat(identity.login(user, "web").refreshToken()).isPresent();
  }

  @Test
  void anExpiredRefreshTokenIsRejected() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    clock.advance(REFRESH_TTL);
    assertRejected(() -> identity.refresh(refresh, "web"), "invalid_grant");
  }

  @Test
  void eachRotationStartsAFullRefreshLifetime() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    for (int day = 0; day < 3; day++) {
      clock.advance(REFRESH_TTL.minusDays(1));
      refresh = identity.refresh(refresh, "web").refreshToken().orElseThrow();
    }
    assertThat(refresh).isNotBlank();
  }

  @Test
  void aTokenOfAnotherClientIsRejectedAndItsLoginGoesOn() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    assertRejected(() -> identity.refresh(refresh, "mobile"), "invalid_grant");
    assertRejected(() -> identity.refresh(refresh, "stranger"), "invalid_client");
    assertThat(identity.refresh(refresh, "web").refreshToken()).isPresent();
  }

  @Test
  void unknownTokensAreRejected() {
    assertRejected(() -> identity.refresh("made-up", "web"), "invalid_grant");
    assertRejected(() -> identity.refresh("", "web"), "invalid_grant");
    assertRejected(() -> identity.refresh(null, "web"), "invalid_grant");
  }

  @Test
  void revokeEndsTheLoginAndAcceptsUnknownTokens() throws Exception {
    User user = newUser();
    String refresh = identity.login(user, "web").refreshToken().orElseThrow();
    String other = identity.login(user, "web").refreshToken().orElseThrow();
    identity.revoke(refresh);
    assertRejected(() -> identity.refresh(refresh, "web"), "invalid_grant");
    assertThat(identity.refresh(other, "web").refreshToken()).isPresent();

    identity.revoke("made-up");
    identity.revoke(null);
    identity.revoke(refresh);
  }

  @Test
  void revokeForAClientLeavesOtherClientsTokensAlone() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    identity.revoke(refresh, "mobile");
    assertThat(identity.refresh(refresh, "web").refreshToken()).isPresent();
  }

  @Test
  void revokingARotatedTokenEndsItsFamily() throws Exception {
    String r1 = identity.login(newUser(), "web").refreshToken().orElseThrow();
    String r2 = identity.refresh(r1, "web").refreshToken().orElseThrow();
    identity.revoke(r1);
    assertRejected(() -> identity.refresh(r2, "web"), "invalid_grant");
  }

  @Test
  void endAllLoginsEndsEveryFamilyOfTheUser() throws Exception {
    User user = newUser();
    String a = identity.login(user, "web").refreshToken().orElseThrow();
    String b = identity.login(user, "mobile").refreshToken().orElseThrow();
    String someoneElse = identity.login(newUser(), "web").refreshToken().orElseThrow();
    assertThat(identity.endAllLogins(user.id())).isEqualTo(2);
    assertRejected(() -> identity.refresh(a, "web"), "invalid_grant");
    assertRejected(() -> identity.refresh(b, "mobile"), "invalid_grant");
    assertThat(identity.refresh(someoneElse, "web").refreshToken()).isPresent();
  }

  @Test
  void concurrentRefreshesWithOneTokenAllGetTheSameNewToken() throws Exception {
    String refresh = identity.login(newUser(), "web").refreshToken().orElseThrow();
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) calls.add(() -> identity.refresh(refresh, "web").refreshToken().orElseThrow());
      List<String> answers = new ArrayList<>();
      for (Future<String> answer : callers.invokeAll(calls)) answers.add(answer.get());
      assertThat(answers).doesNotContain(refresh).containsOnly(answers.get(0));
      assertThat(identity.refresh(answers.get(0), "web").refreshToken()).isPresent();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void purgingExpiredTokensKeepsLiveLogins() throws Exception {
    String old = identity.login(newUser(), "web").refreshToken().orElseThrow();
    clock.advance(REFRESH_TTL.minusMinutes(1));
    String live = identity.login(newUser(), "web").refreshToken().orElseThrow();
    clock.advance(Duration.ofMinutes(2));
    identity.purgeExpired();
    assertRejected(() -> identity.refresh(old, "web"), "invalid_grant");
    assertThat(identity.refresh(live, "web").refreshToken()).isPresent();
  }

  // ---- clients ----

  @Test
  void aConfidentialClientNeedsItsSecret() {
    assertThat(identity.authenticateClient("backend", "backend-secret-0123456789abcdef")).isTrue();
    assertThat(identity.authenticateClient("backend", "backend-secret-0123456789abcdeF")).isFalse();
    assertThat(identity.authenticateClient("backend", null)).isFalse();
    assertThat(identity.authenticateClient("backend", "")).isFalse();
  }

  @Test
  void aPublicClientAuthenticatesWithoutASecretAndUnknownClientsNever() {
    assertThat(identity.authenticateClient("web", null)).isTrue();
    assertThat(identity.authenticateClient("web", "")).isTrue();
    assertThat(identity.authenticateClient("web", "guess")).isFalse();
    assertThat(identity.authenticateClient("stranger", null)).isFalse();
    assertThat(identity.authenticateClient(null, null)).isFalse();
  }

  // ---- password reset ----

  String mailedToken(String to) throws Exception {
    assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("a reset mail arrives").isTrue();
    MimeMessage received = smtp.getReceivedMessages()[0];
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo(to);
    assertThat(received.getSubject()).isEqualTo("Reset your password");
    String body = received.getContent().toString();
    Matcher link = Pattern.compile(Pattern.quote(RESET_PAGE) + "\\?token=([A-Za-z0-9_-]+)").matcher(body);
    assertThat(link.find()).as("the mail holds a reset link: %s", body).isTrue();
    return link.group(1);
  }

  @Test
  void theMailedLinkSetsANewPasswordOnce() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    identity.requestPasswordReset(email.toUpperCase(), RESET_PAGE);
    String token = mailedToken(email);

    clock.advance(Duration.ofMinutes(5));
    User reset = identity.resetPassword(token, "a-brand-new-passphrase");
    assertThat(reset.id()).isEqualTo(user.id());
    assertThat(reset.passwordChangedAt()).isEqualTo(clock.instant());
    assertThat(identity.authenticate(email, "a-brand-new-passphrase")).isPresent();
    assertThat(identity.authenticate(email, PASSWORD)).isEmpty();

    assertRejected(() -> identity.resetPassword(token, "yet-another-passphrase"), "invalid_token");
    assertThat(identity.authenticate(email, "a-brand-new-passphrase")).isPresent();
  }

  @Test
  void theTokenIsStoredHashed() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestPasswordReset(email, RESET_PAGE);
    String token = mailedToken(email);
    assertThat(db.queryString("SELECT COUNT(*) FROM password_resets WHERE token_hash = ?", token)).contains("0");
  }

  @Test
  void aResetEndsEveryLoginOfTheUser() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    String laptop = identity.login(user, "web").refreshToken().orElseThrow();
    String phone = identity.login(user, "mobile").refreshToken().orElseThrow();
    String someoneElse = identity.login(newUser(), "web").refreshToken().orElseThrow();

    identity.requestPasswordReset(email, RESET_PAGE);
    identity.resetPassword(mailedToken(email), "a-brand-new-passphrase");

    assertRejected(() -> identity.refresh(laptop, "web"), "invalid_grant");
    assertRejected(() -> identity.refresh(phone, "mobile"), "invalid_grant");
    assertThat(identity.refresh(someoneElse, "web").refreshToken()).isPresent();
  }

  @Test
  void anExpiredLinkIsRejected() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestPasswordReset(email, RESET_PAGE);
    String token = mailedToken(email);
    clock.advance(RESET_TTL);
    assertRejected(() -> identity.resetPassword(token, "a-brand-new-passphrase"), "invalid_token");
    assertThat(identity.authenticate(email, PASSWORD)).isPresent();
  }

  @Test
  void aWeakNewPasswordIsRefusedAndTheLinkStillWorks() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestPasswordReset(email, RESET_PAGE);
    String token = mailedToken(email);

    assertThatThrownBy(() -> identity.resetPassword(token, "password1234"))
        .isInstanceOfSatisfying(RegistrationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("password"));
    assertThat(identity.resetPassword(token, "a-brand-new-passphrase").email()).isEqualTo(email);
  }

  @Test
  void unknownResetTokensAreRejected() {
    assertRejected(() -> identity.resetPassword("made-up", "a-brand-new-passphrase"), "invalid_token");
    assertRejected(() -> identity.resetPassword(null, "a-brand-new-passphrase"), "invalid_token");
  }

  @Test
  void anUnknownAddressGetsNoMailAndTheSameAnswer() throws Exception {
    identity.requestPasswordReset(newEmail(), RESET_PAGE);
    identity.requestPasswordReset("not-even-an-address", RESET_PAGE);
    identity.requestPasswordReset(null, RESET_PAGE);
    identity.awaitBackgroundWork();
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void usingOneLinkSpendsTheOtherPendingLinks() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestPasswordReset(email, RESET_PAGE);
    identity.requestPasswordReset(email, RESET_PAGE);
    assertThat(smtp.waitForIncomingEmail(10_000, 2)).isTrue();
    List<String> tokens = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      Matcher link = Pattern.compile("token=([A-Za-z0-9_-]+)").matcher(m.getContent().toString());
      assertThat(link.find()).isTrue();
      tokens.add(link.group(1));
    }
    identity.resetPassword(tokens.get(1), "a-brand-new-passphrase");
    assertRejected(() -> identity.resetPassword(tokens.get(0), "yet-another-passphrase"), "invalid_token");
  }

  @Test
  void aMailServerThatIsDownDoesNotFailTheRequest() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    mailTarget = mail -> {
      throw new MailDeliveryException("down", null);
    };
    identity.requestPasswordReset(email, RESET_PAGE);
    identity.awaitBackgroundWork();
  }

  // ---- database ----

  @Test
  void migrationsRunOnceAndReopeningFindsTheSameData() throws Exception {
    User user = newUser();
    try (IdentityService again = open()) {
      assertThat(again.user(user.id())).contains(user);
    }
    assertThat(db.queryString("SELECT COUNT(*) FROM flyway_schema_history WHERE success = " + (db.isPostgres() ? "true" : "1")))
        .contains(String.valueOf(MIGRATIONS));
  }

  @Test
  void anUnreachableDatabaseFailsTheOpenWithAClearMessage() {
    String url = db.isPostgres() ? "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2" : "jdbc:sqlite:/proc/no/such/dir/x.db";
    assertThatThrownBy(() -> IdentityService.open(IdentitySettings.builder(url, URI.create(ISSUER)).argon2(CHEAP).build(), recorded, clock))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("identity database");
  }
}
