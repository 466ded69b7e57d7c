package dev.vestibule.limit;

import java.time.Duration;

/** Counts attempts per key (a client IP, an account) and says when there were too many. */
public interface RateLimiter {
  /** Counts one attempt for {@code key}. */
  Decision attempt(String key);

  /** Whether an attempt now would be allowed, without counting one. */
  Decision peek(String key);

  /** Forgets the attempts of {@code key} (after a success that should not count against it). */
  void reset(String key);

  record Decision(boolean allowed, Duration retryAfter) {
    public static final Decision ALLOWED = new Decision(true, Duration.ZERO);

    /** Retry-After in whole seconds, at least 1. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }
}
