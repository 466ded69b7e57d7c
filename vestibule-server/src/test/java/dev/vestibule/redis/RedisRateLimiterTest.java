package dev.vestibule.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.limit.RateLimiter;
import dev.vestibule.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fixed windows counted in Redis: every instance's attempts count against one budget. */
class RedisRateLimiterTest {
  private final Vertx vertx = Vertx.vertx();
  private SharedRedis redis;

  @BeforeEach
  void connect() throws Exception {
    redis = SharedRedis.connect(vertx, URI.create(TestRedis.cluster()));
  }

  @AfterEach
  void close() {
    if (redis != null) redis.close();
    vertx.close().await();
  }

  private RateLimiter limiter(String name) {
    return new RedisRateLimiter(redis, name, 3, Duration.ofMinutes(1));
  }

  @Test
  void attemptsOnTwoInstancesShareOneBudget() {
    RateLimiter one = limiter("login-ip");
    RateLimiter other = limiter("login-ip");

    assertThat(one.attempt("10.0.0.1").allowed()).isTrue();
    assertThat(other.attempt("10.0.0.1").allowed()).isTrue();
    assertThat(one.attempt("10.0.0.1").allowed()).isTrue();
    RateLimiter.Decision fourth = other.attempt("10.0.0.1");

    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(one.attempt("10.0.0.2").allowed()).as("another key").isTrue();
    assertThat(limiter("register-ip").attempt("10.0.0.1").allowed()).as("another limit").isTrue();
  }

  @Test
  void peekingCountsNothing() {
    RateLimiter limiter = limiter("codes");
    for (int i = 0; i < 5; i++) assertThat(limiter.peek("mfa:ada").allowed()).isTrue();
    limiter.attempt("mfa:ada");
    limiter.attempt("mfa:ada");
    assertThat(limiter.peek("mfa:ada").allowed()).isTrue();
    limiter.attempt("mfa:ada");

    assertThat(limiter.peek("mfa:ada").allowed()).isFalse();
  }

  @Test
  void aRefundGivesBackOneAttemptAndNeverGoesBelowNothing() {
    RateLimiter limiter = limiter("login-account");
    for (int i = 0; i < 3; i++) limiter.attempt("bea");
    limiter.refundAsync("bea").toCompletableFuture().join();
    assertThat(limiter.attempt("bea").allowed()).isTrue();
    assertThat(limiter.attempt("bea").allowed()).isFalse();

    for (int i = 0; i < 3; i++) limiter.refundAsync("cid").toCompletableFuture().join();
    for (int i = 0; i < 3; i++) assertThat(limiter.attempt("cid").allowed()).isTrue();
    assertThat(limiter.attempt("cid").allowed()).as("refunds before any attempt bought nothing").isFalse();
  }

  @Test
  void resetForgetsTheCount() {
    RateLimiter limiter = limiter("login-account");
    for (int i = 0; i < 4; i++) limiter.attempt("ada");

    limiter.reset("ada");

    assertThat(limiter.attempt("ada").allowed()).isTrue();
  }

  @Test
  void anEventLoopMustAskWithoutWaiting() {
    RateLimiter limiter = limiter("api-keys");

    Future<Object> onEventLoop = vertx.getOrCreateContext().executeBlocking(() -> null)
        .compose(v -> Future.future(promise -> vertx.runOnContext(x -> {
          try {
            limiter.attempt("10.0.0.1");
            promise.complete();
          } catch (IllegalStateException e) {
            promise.fail(e);
          }
        })));

    assertThatThrownBy(onEventLoop::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("attemptAsync");
    assertThat(limiter.attemptAsync("10.0.0.1").toCompletableFuture().join().allowed()).isTrue();
  }
}
