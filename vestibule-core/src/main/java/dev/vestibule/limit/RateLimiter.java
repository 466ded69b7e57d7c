package dev.vestibule.limit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Counts attempts per key (a client IP, an account) and says when there were too many. */
public interface RateLimiter {
  /** Counts one attempt for {@code key}. */
  Decision attempt(String key);

  /** Whether an attempt now would be allowed, without counting one. */
  Decision peek(String key);

  /** Forgets the attempts of {@code key} (after a success that should not count against it). */
  void reset(String key);

  /**
   * Takes back one attempt of {@code key} counted in its current window, if any: for callers that count an attempt
   * before they know whether it should count (so that concurrent ones cannot all slip past the limit).
   */
  CompletionStage<Void> refundAsync(String key);

  /**
   * {@link #attempt} for callers that must not block (an event loop): a limiter whose counts live in a store the
   * instances share answers when the store does, and fails when it cannot.
   */
  default CompletionStage<Decision> attemptAsync(String key) {
    return CompletableFuture.completedFuture(attempt(key));
  }

  /** {@link #peek} for callers that must not block. */
  default CompletionStage<Decision> peekAsync(String key) {
    return CompletableFuture.completedFuture(peek(key));
  }

  record Decision(boolean allowed, Duration retryAfter) {
    public static final Decision ALLOWED = new Decision(true, Duration.ZERO);

    /** Retry-After in whole seconds, at least 1. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }
}
