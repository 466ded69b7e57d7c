package dev.vestibule.identity.mfa;

import java.util.Optional;

/**
 * What checking a mailed code gave.
 *
 * @param userId whose login the code completes, when {@link Outcome#ACCEPTED}
 * @param attemptsLeft further codes this challenge accepts, when {@link Outcome#WRONG}
 */
public record MfaVerification(Outcome outcome, Optional<String> userId, int attemptsLeft) {
  public enum Outcome {
    /** The right code: the login is complete and the challenge spent. */
    ACCEPTED,
    /** A wrong code; the challenge takes {@code attemptsLeft} more (0: the next attempt is {@link #TOO_MANY}). */
    WRONG,
    /** The challenge had all its attempts: it is spent, the user logs in again for a new code. */
    TOO_MANY,
    /** No pending challenge: never issued, used, replaced by a newer login, or expired. */
    UNKNOWN
  }

  static MfaVerification accepted(String userId) {
    return new MfaVerification(Outcome.ACCEPTED, Optional.of(userId), 0);
  }

  static MfaVerification refused(Outcome outcome, int attemptsLeft) {
    return new MfaVerification(outcome, Optional.empty(), attemptsLeft);
  }
}
