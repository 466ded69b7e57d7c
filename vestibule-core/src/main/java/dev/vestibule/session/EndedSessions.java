package dev.vestibule.session;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Logins that were ended (logout, rejected refresh, password reset) while their sealed cookies may still be
 * replayed. Each is remembered until its cookie would have expired anyway. Kept in memory on one instance, or in a
 * store the instances share; a stage fails when that store cannot answer.
 */
public interface EndedSessions {
  CompletionStage<Void> end(String sessionId, Instant until);

  /** Whether the session was ended, by its id or by an {@link #endUser} of its user ({@code userId} may be null). */
  CompletionStage<Boolean> isEnded(String sessionId, String userId, Instant loggedInAt);

  /** Ends every session of a user that logged in before {@code before} (a password reset); kept until {@code until}. */
  CompletionStage<Void> endUser(String userId, Instant before, Instant until);
}
