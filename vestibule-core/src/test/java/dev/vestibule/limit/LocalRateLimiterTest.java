package dev.vestibule.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {
  private final MutableClock clock = new MutableClock();
  private final LocalRateLimiter limiter = new LocalRateLimiter(3, Duration.ofMinutes(1), clock);

  @Test
  void attemptsBeyondThePermitsAreRefusedWithTheTimeLeftInTheWindow() {
    for (int i = 0; i < 3; i++) assertThat(limiter.attempt("ip").allowed()).isTrue();
    clock.advance(Duration.ofSeconds(20));
    RateLimiter.Decision refused = limiter.attempt("ip");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(40);
  }

  @Test
  void keysAreCountedSeparately() {
    for (int i = 0; i < 3; i++) limiter.attempt("a");
    assertThat(limiter.attempt("b").allowed()).isTrue();
    assertThat(limiter.attempt("a").allowed()).isFalse();
  }

  @Test
  void aNewWindowStartsAfterTheOldOneEnds() {
    for (int i = 0; i < 4; i++) limiter.attempt("ip");
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.attempt("ip").allowed()).isTrue();
  }

  @Test
  void peekDoesNotCountAndResetForgets() {
    for (int i = 0; i < 3; i++) limiter.attempt("ip");
    assertThat(limiter.peek("ip").allowed()).isFalse();
    limiter.reset("ip");
    assertThat(limiter.peek("ip").allowed()).isTrue();
    assertThat(limiter.attempt("ip").allowed()).isTrue();
  }

  @Test
  void aRefundGivesBackOneAttemptOfTheCurrentWindowOnly() {
    for (int i = 0; i < 3; i++) limiter.attempt("ip");
    limiter.refundAsync("ip").toCompletableFuture().join();
    assertThat(limiter.attempt("ip").allowed()).isTrue();
    assertThat(limiter.attempt("ip").allowed()).isFalse();

    limiter.refundAsync("nobody").toCompletableFuture().join();
    assertThat(limiter.peek("nobody").allowed()).isTrue();
    clock.advance(Duration.ofMinutes(1));
    limiter.refundAsync("ip").toCompletableFuture().join();
    for (int i = 0; i < 3; i++) assertThat(limiter.attempt("ip").allowed()).as("a fresh window").isTrue();
    assertThat(limiter.attempt("ip").allowed()).isFalse();
  }
}
