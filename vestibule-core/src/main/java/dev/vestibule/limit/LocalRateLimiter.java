package dev.vestibule.limit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window {@link RateLimiter} in this instance's memory: {@code permits} attempts per key in each
 * window that starts at the key's first attempt.
 */
public final class LocalRateLimiter implements RateLimiter {
  private final int permits;
  private final Duration window;
  private final Clock clock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private volatile Instant lastSweep;

  public LocalRateLimiter(int permits, Duration window, Clock clock) {
    if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
    this.permits = permits;
    this.window = window;
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  @Override
  public Decision attempt(String key) {
    Instant now = clock.instant();
    sweep(now);
    Window w = windows.compute(key, (k, current) ->
        current == null || !now.isBefore(current.end) ? new Window(now.plus(window), 1) : current.plusOne());
    return decide(w, now, permits);
  }

  @Override
  public Decision peek(String key) {
    Instant now = clock.instant();
    Window w = windows.get(key);
    if (w == null || !now.isBefore(w.end)) return Decision.ALLOWED;
    return decide(w, now, permits - 1);
  }

  @Override
  public void reset(String key) {
    windows.remove(key);
  }

  @Override
  public CompletionStage<Void> refundAsync(String key) {
    Instant now = clock.instant();
    windows.computeIfPresent(key, (k, w) -> now.isBefore(w.end) && w.count > 0 ? new Window(w.end, w.count - 1) : w);
    return CompletableFuture.completedFuture(null);
  }

  private static Decision decide(Window w, Instant now, int allowed) {
    return w.count <= allowed ? Decision.ALLOWED : new Decision(false, Duration.between(now, w.end));
  }

  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(window) < 0) return;
    lastSweep = now;
    windows.values().removeIf(w -> !now.isBefore(w.end));
  }

  private record Window(Instant end, int count) {
    Window plusOne() {
      return new Window(end, count == Integer.MAX_VALUE ? count : count + 1);
    }
  }
}
