package dev.vestibule.redis;

import dev.vestibule.session.StoredSessions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sessions kept in Redis ({@code session.store: redis}), sealed as a cookie would be; each key expires with its session. */
public final class RedisStoredSessions implements StoredSessions {
  private final SharedRedis redis;
  private final Clock clock;

  public RedisStoredSessions(SharedRedis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Optional<String>> load(String sessionId) {
    return redis.send(Request.cmd(Command.GET).arg(key(sessionId)))
        .map(value -> Optional.ofNullable(value).map(Object::toString)).toCompletionStage();
  }

  @Override
  public CompletionStage<Void> save(String sessionId, String sealed, Instant expiresAt) {
    long millis = Duration.between(clock.instant(), expiresAt).toMillis();
    if (millis <= 0) return delete(sessionId);
    return redis.send(Request.cmd(Command.SET).arg(key(sessionId)).arg(sealed).arg("PX").arg(millis))
        .<Void>mapEmpty().toCompletionStage();
  }

  @Override
  public CompletionStage<Void> delete(String sessionId) {
    return redis.send(Request.cmd(Command.DEL).arg(key(sessionId))).<Void>mapEmpty().toCompletionStage();
  }

  private String key(String sessionId) {
    return redis.key("session", SharedRedis.digest(sessionId));
  }
}
