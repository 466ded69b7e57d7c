package dev.vestibule.session;

import java.time.Instant;

/**
 * Logins that were ended (logout, rejected refresh, password reset) while their sealed cookies may still be
 * replayed. Each is remembered until its cookie would have expired anyway.
 */
public interface EndedSessions {
  void end(String sessionId, Instant until);

  boolean isEnded(String sessionId);

  /** Ends every session of a user that logged in before {@code before} (a password reset); kept until {@code until}. */
  void endUser(String userId, Instant before, Instant until);

  /** Whether a session of this user, logged in at {@code loggedInAt}, was ended by {@link #endUser}. */
  boolean isEndedForUser(String userId, Instant loggedInAt);
}
