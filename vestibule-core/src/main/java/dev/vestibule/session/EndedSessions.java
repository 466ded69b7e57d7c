package dev.vestibule.session;

import java.time.Instant;

/**
 * Session ids that were ended (logout, rejected refresh, password reset) while their sealed cookies may
 * still be replayed. Each is remembered until its cookie would have expired anyway.
 */
public interface EndedSessions {
  void end(String sessionId, Instant until);

  boolean isEnded(String sessionId);
}
