package dev.vestibule.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.identity.mfa.MfaCodes;
import dev.vestibule.identity.mfa.MfaVerification;
import dev.vestibule.identity.mfa.MfaVerification.Outcome;
import dev.vestibule.identity.user.User;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Logins by mailed link and by mailed second-factor code, run once per database (see the subclasses). */
abstract class MailedLoginContract extends IdentityServiceFixture {
  static final String VERIFY_URL = ISSUER + "/auth/magic-link/verify";

  /** The text of the only mail received so far, which went to {@code to}. */
  String onlyMailTo(String to, String subject) throws Exception {
    assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("a mail arrives").isTrue();
    identity.awaitBackgroundWork();
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo(to);
    assertThat(received[0].getSubject()).isEqualTo(subject);
    return received[0].getContent().toString();
  }

  String mailedLinkToken(String to) throws Exception {
    String text = onlyMailTo(to, "Your login link");
    Matcher link = Pattern.compile(Pattern.quote(VERIFY_URL) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
    assertThat(link.find()).as("the mail holds a login link: %s", text).isTrue();
    return link.group(1);
  }

  String mailedCode(String to) throws Exception {
    String text = onlyMailTo(to, "Your login code");
    Matcher code = Pattern.compile("\\b([0-9]{7})\\b").matcher(text);
    assertThat(code.find()).as("the mail holds a 7-digit code: %s", text).isTrue();
    return code.group(1);
  }

  User userWithMfa() throws Exception {
    User user = newUser();
    return identity.setMfa(user.id(), true).orElseThrow();
  }

  // ---- magic links ----

  @Test
  void theMailedLinkLogsTheUserInOnceAndKeepsWhereTheyWantedToGo() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    identity.requestMagicLink(email.toUpperCase(), "/notes?tab=mine", VERIFY_URL);
    String token = mailedLinkToken(email);

    clock.advance(Duration.ofMinutes(5));
    IdentityService.MagicLinkLogin login = identity.redeemMagicLink(token);
    assertThat(login.user()).isEqualTo(user);
    assertThat(login.returnTo()).isEqualTo("/notes?tab=mine");

    assertRejected(() -> identity.redeemMagicLink(token), "invalid_token");
  }

  @Test
  void theLinkMailSaysHowLongItWorks() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestMagicLink(email, "/", VERIFY_URL);
    assertThat(onlyMailTo(email, "Your login link")).contains("15 minutes", "Ada");
  }

  @Test
  void aLinkPastItsLifetimeIsRejected() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestMagicLink(email, "/", VERIFY_URL);
    String token = mailedLinkToken(email);
    clock.advance(MAGIC_LINK_TTL);
    assertRejected(() -> identity.redeemMagicLink(token), "invalid_token");
  }

  @Test
  void linkTokensAreStoredHashed() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestMagicLink(email, "/", VERIFY_URL);
    String token = mailedLinkToken(email);
    assertThat(db.queryString("SELECT COUNT(*) FROM magic_links WHERE token_hash = ?", token)).contains("0");
    assertThat(identity.redeemMagicLink(token).user().email()).isEqualTo(email);
  }

  @Test
  void anUnknownAddressGetsNoLinkAndTheSameAnswer() throws Exception {
    identity.requestMagicLink(newEmail(), "/", VERIFY_URL);
    identity.requestMagicLink("not-an-address", "/", VERIFY_URL);
    identity.requestMagicLink(null, "/", VERIFY_URL);
    identity.awaitBackgroundWork();
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void unknownAndMissingLinkTokensAreRejected() {
    assertRejected(() -> identity.redeemMagicLink("made-up"), "invalid_token");
    assertRejected(() -> identity.redeemMagicLink(""), "invalid_token");
    assertRejected(() -> identity.redeemMagicLink(null), "invalid_token");
  }

  @Test
  void aLinkCannotLeadToAnotherSite() {
    for (String elsewhere : List.of("https://evil.example/", "//evil.example/x", "evil", "")) {
      assertThatThrownBy(() -> identity.requestMagicLink("ada@example.org", elsewhere, VERIFY_URL))
          .as(elsewhere).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void twoConcurrentUsesOfOneLinkLogInOnce() throws Exception {
    String email = newEmail();
    identity.register("Ada", email, PASSWORD);
    identity.requestMagicLink(email, "/", VERIFY_URL);
    String token = mailedLinkToken(email);
    List<Boolean> outcomes = concurrently(8, () -> {
      try {
        identity.redeemMagicLink(token);
        return true;
      } catch (dev.vestibule.token.TokenRejectedException e) {
        return false;
      }
    });
    assertThat(outcomes).containsOnlyOnce(true);
  }

  // ---- MFA codes ----

  @Test
  void mfaIsOffForNewUsersAndCanBeTurnedOnAndOff() throws Exception {
    String email = newEmail();
    User user = identity.register("Ada", email, PASSWORD);
    assertThat(user.mfaEnabled()).isFalse();

    assertThat(identity.setMfa(user.id(), true).orElseThrow().mfaEnabled()).isTrue();
    assertThat(identity.authenticate(email, PASSWORD).orElseThrow().mfaEnabled()).isTrue();
    assertThat(identity.setMfa(user.id(), false).orElseThrow().mfaEnabled()).isFalse();
    assertThat(identity.user(user.id()).orElseThrow().mfaEnabled()).isFalse();
    assertThat(identity.setMfa("no-such-user", true)).isEmpty();
  }

  @Test
  void theMailedSevenDigitCodeCompletesTheLoginOnce() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    assertThat(challenge.toString()).doesNotContain(challenge.challenge());
    assertThat(challenge.expiresAt()).isEqualTo(clock.instant().plus(MFA_CODE_TTL));
    String code = mailedCode(user.email());
    assertThat(identity.mfaChallengeOwner(challenge.challenge())).contains(user.id());

    MfaVerification accepted = identity.verifyMfaCode(challenge.challenge(), code);
    assertThat(accepted.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(accepted.userId()).contains(user.id());

    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(identity.mfaChallengeOwner(challenge.challenge())).isEmpty();
  }

  @Test
  void wrongCodesUseUpTheAttemptsAndThenEvenTheRightCodeIsRefused() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    String wrong = code.equals("0000000") ? "0000001" : "0000000";

    for (int left = MfaCodes.MAX_ATTEMPTS - 1; left >= 0; left--) {
      MfaVerification refused = identity.verifyMfaCode(challenge.challenge(), wrong);
      assertThat(refused.outcome()).isEqualTo(Outcome.WRONG);
      assertThat(refused.attemptsLeft()).isEqualTo(left);
      assertThat(refused.userId()).isEmpty();
    }
    assertThat(identity.verifyMfaCode(challenge.challenge(), wrong).outcome()).isEqualTo(Outcome.TOO_MANY);
    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.TOO_MANY);
  }

  @Test
  void theRightCodeOnTheLastAttemptStillWorks() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    for (int i = 1; i < MfaCodes.MAX_ATTEMPTS; i++) identity.verifyMfaCode(challenge.challenge(), "123");
    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void malformedCodesCountAsWrong() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    List<String> malformed = new ArrayList<>(List.of("", "123456", "12345678", "abcdefg", " " + code));
    malformed.add(null);
    for (String bad : malformed) {
      assertThat(identity.verifyMfaCode(challenge.challenge(), bad).outcome()).as(String.valueOf(bad)).isNotEqualTo(Outcome.ACCEPTED);
    }
  }

  @Test
  void aCodePastItsLifetimeIsRefused() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    clock.advance(MFA_CODE_TTL);
    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void aNewLoginReplacesThePendingChallenge() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge first = identity.startMfa(user);
    String firstCode = mailedCode(user.email());
    smtp.purgeEmailFromAllMailboxes();
    IdentityService.MfaChallenge second = identity.startMfa(user);
    String secondCode = mailedCode(user.email());

    assertThat(identity.verifyMfaCode(first.challenge(), firstCode).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(identity.verifyMfaCode(second.challenge(), secondCode).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void aCodeWorksOnlyWithTheChallengeItWasMailedFor() throws Exception {
    User ada = userWithMfa();
    User bea = userWithMfa();
    IdentityService.MfaChallenge adas = identity.startMfa(ada);
    String adasCode = mailedCode(ada.email());
    smtp.purgeEmailFromAllMailboxes();
    IdentityService.MfaChallenge beas = identity.startMfa(bea);
    mailedCode(bea.email());

    assertThat(identity.verifyMfaCode(beas.challenge(), adasCode).outcome()).isIn(Outcome.WRONG);
    assertThat(identity.verifyMfaCode("made-up", adasCode).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(identity.verifyMfaCode(null, adasCode).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(identity.verifyMfaCode(adas.challenge(), adasCode).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void neitherTheChallengeNorTheCodeIsStored() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    String row = db.queryString("SELECT challenge_hash || ' ' || code_hash FROM mfa_challenges WHERE user_id = ?", user.id())
        .orElseThrow();
    assertThat(row).doesNotContain(challenge.challenge()).doesNotContain(code);
  }

  @Test
  void aPasswordResetSpendsTheLinksAndCodesMailedBeforeIt() throws Exception {
    User user = userWithMfa();
    identity.requestMagicLink(user.email(), "/", VERIFY_URL);
    String link = mailedLinkToken(user.email());
    smtp.purgeEmailFromAllMailboxes();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    smtp.purgeEmailFromAllMailboxes();

    identity.requestPasswordReset(user.email(), RESET_PAGE);
    String text = onlyMailTo(user.email(), "Reset your password");
    Matcher reset = Pattern.compile(Pattern.quote(RESET_PAGE) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
    assertThat(reset.find()).isTrue();
    identity.resetPassword(reset.group(1), "a-brand-new-passphrase");

    assertRejected(() -> identity.redeemMagicLink(link), "invalid_token");
    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void parallelGuessesCannotGetMoreAttemptsThanAllowed() throws Exception {
    User user = userWithMfa();
    IdentityService.MfaChallenge challenge = identity.startMfa(user);
    String code = mailedCode(user.email());
    String wrong = code.equals("0000000") ? "0000001" : "0000000";

    List<Outcome> outcomes = concurrently(12, () -> identity.verifyMfaCode(challenge.challenge(), wrong).outcome());

    assertThat(outcomes.stream().filter(o -> o == Outcome.WRONG)).hasSize(MfaCodes.MAX_ATTEMPTS);
    assertThat(outcomes.stream().filter(o -> o == Outcome.TOO_MANY)).hasSize(12 - MfaCodes.MAX_ATTEMPTS);
    assertThat(identity.verifyMfaCode(challenge.challenge(), code).outcome()).isEqualTo(Outcome.TOO_MANY);
  }

  private static <T> List<T> concurrently(int callers, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Callable<T>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) calls.add(call);
      List<T> results = new ArrayList<>();
      for (Future<T> result : pool.invokeAll(calls)) results.add(result.get());
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
