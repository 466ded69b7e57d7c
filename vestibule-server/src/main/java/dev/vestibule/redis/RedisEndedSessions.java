package dev.vestibule.redis;

import dev.vestibule.session.EndedSessions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link EndedSessions} in Redis, so a logout on one instance is refused on every other; each key expires with its cookie. */
public final class RedisEndedSessions implements EndedSessions {
  // Keeps the later cutoff of two password resets, and the longer lifetime.
  private static final String END_USER = """
      local before = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tonumber(ARGV[1]) > before then before = tonumber(ARGV[1]) end
      local ttl = redis.call('PTTL', KEYS[1])
      if tonumber(ARGV[2]) > ttl then ttl = tonumber(ARGV[2]) end
      redis.call('SET', KEYS[1], before, 'PX', ttl)
      return 1
      """;

  private final SharedRedis redis;
  private final Clock clock;

  public RedisEndedSessions(SharedRedis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> end(String sessionId, Instant until) {
    long millis = Duration.between(clock.instant(), until).toMillis();
    if (millis <= 0) return CompletableFuture.completedFuture(null);
    return redis.send(Request.cmd(Command.SET).arg(endedKey(sessionId)).arg("1").arg("PX").arg(millis))
        .<Void>mapEmpty().toCompletionStage();
  }

  @Override
  public CompletionStage<Boolean> isEnded(String sessionId, String userId, Instant loggedInAt) {
    Request get = Request.cmd(Command.MGET).arg(endedKey(sessionId));
    if (userId != null) get.arg(userKey(userId));
    return redis.send(get).map(values -> values.get(0) != null || userId != null && endedForUser(values.get(1), loggedInAt))
        .toCompletionStage();
  }

  @Override
  public CompletionStage<Void> endUser(String userId, Instant before, Instant until) {
    long millis = Duration.between(clock.instant(), until).toMillis();
    if (millis <= 0) return CompletableFuture.completedFuture(null);
    return redis.eval(END_USER, List.of(userKey(userId)), List.of(before.toEpochMilli(), millis))
        .<Void>mapEmpty().toCompletionStage();
  }

  private static boolean endedForUser(Response cutoff, Instant loggedInAt) {
    return cutoff != null && loggedInAt.toEpochMilli() < cutoff.toLong();
  }

  private String endedKey(String sessionId) {
    return redis.key("ended", SharedRedis.digest(sessionId));
  }

  private String userKey(String userId) {
    return redis.key("ended-user", SharedRedis.digest(userId));
  }
}
