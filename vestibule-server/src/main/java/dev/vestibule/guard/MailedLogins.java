package dev.vestibule.guard;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.limit.RateLimiter;
import java.util.concurrent.CompletionStage;

/** The built-in identity's logins by mailed link and mailed code, as the guards use them; all off the event loop. */
public interface MailedLogins {
  /**
   * Spends a login link's token and starts that user's login. Fails with
   * {@link dev.vestibule.token.TokenRejectedException} for an unknown, used or expired token and
   * {@link dev.vestibule.token.ProviderUnavailableException} when the identity cannot answer.
   */
  CompletionStage<LinkLogin> redeemLink(String token);

  /**
   * Checks a mailed code against the browser's challenge. Wrong codes count against the challenge's user in
   * {@code wrongCodes}; once it refuses, no code is checked until it allows again.
   */
  CompletionStage<CodeCheck> checkCode(String challenge, String code, RateLimiter wrongCodes);

  /** A spent link: the new login, and the same-origin path its user asked to land on. */
  record LinkLogin(Authenticator.Login login, String returnTo) {}

  /** What checking a code gave. */
  sealed interface CodeCheck {
    /** The right code: the login is complete. */
    record Accepted(Authenticator.Login login) implements CodeCheck {}

    /** A wrong code; the challenge takes {@code attemptsLeft} more. */
    record Wrong(int attemptsLeft) implements CodeCheck {}

    /** Too many wrong codes. {@code challengeSpent}: this challenge is over, the user logs in again. */
    record TooMany(long retryAfterSeconds, boolean challengeSpent) implements CodeCheck {}

    /** No pending challenge: never issued, used, replaced by a newer login, or expired. */
    record Unknown() implements CodeCheck {}
  }
}
