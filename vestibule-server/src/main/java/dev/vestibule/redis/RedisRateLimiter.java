package dev.vestibule.redis;

import dev.vestibule.limit.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A fixed-window {@link RateLimiter} whose counts all instances share: {@code permits} attempts per key in each window
 * that starts at the key's first attempt, counted with INCR and ended by PEXPIRE in one script.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final String ATTEMPT = """
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if count == 1 or ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {count, ttl}
      """;
  // DECR keeps the key's expiry; a key that has expired meanwhile is left alone rather than brought back at -1.
  private static final String REFUND = """
      if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
      return 0
      """;
  private static final String PEEK = "return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}";

  private final SharedRedis redis;
  private final String name;
  private final int permits;
  private final Duration window;

  /** @param name tells this limiter's counts from the others' ({@code login-ip}, {@code register}, …) */
  public RedisRateLimiter(SharedRedis redis, String name, int permits, Duration window) {
    if (permits < 1) throw new IllegalArgumentException("permits must be at least 1");
    this.redis = redis;
    this.name = name;
    this.permits = permits;
    this.window = window;
  }

  @Override
  public CompletionStage<Decision> attemptAsync(String key) {
    return redis.eval(ATTEMPT, List.of(key(key)), List.of(window.toMillis()))
        .map(reply -> decide(reply, permits)).toCompletionStage();
  }

  @Override
  public CompletionStage<Decision> peekAsync(String key) {
    return redis.eval(PEEK, List.of(key(key)), List.of()).map(reply -> decide(reply, permits - 1)).toCompletionStage();
  }

  @Override
  public CompletionStage<Void> refundAsync(String key) {
    return redis.eval(REFUND, List.of(key(key)), List.of()).<Void>mapEmpty().toCompletionStage();
  }

  @Override
  public Decision attempt(String key) {
    return await(attemptAsync(key));
  }

  @Override
  public Decision peek(String key) {
    return await(peekAsync(key));
  }

  @Override
  public void reset(String key) {
    await(redis.send(Request.cmd(Command.DEL).arg(key(key))).toCompletionStage());
  }

  private static Decision decide(Response reply, int allowed) {
    long count = reply.get(0).toLong();
    long ttl = reply.get(1).toLong();
    return count <= allowed ? Decision.ALLOWED : new Decision(false, Duration.ofMillis(Math.max(1, ttl)));
  }

  // Blocking is for worker threads (the built-in identity's pool); an event loop must use the async methods.
  private static <T> T await(CompletionStage<T> stage) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a shared rate limit cannot be waited for on an event loop; use attemptAsync");
    }
    return Future.fromCompletionStage(stage).await();
  }

  private String key(String key) {
    return redis.key("limit", name, SharedRedis.digest(key));
  }
}
