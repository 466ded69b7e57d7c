package dev.vestibule.redis;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.RedisUrl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis that several gateway instances share, under one key prefix ({@code vestibule:} unless the URL says
 * {@code ?prefix=name}). Every command is bounded by a timeout; any failure becomes a {@link RedisUnavailableException}.
 */
public final class SharedRedis implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);

  private final Redis client;
  private final String prefix;
  private final String where;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY.toNanos());

  private SharedRedis(Redis client, String prefix, String where) {
    this.client = client;
    this.prefix = prefix;
    this.where = where;
  }

  /**
   * Connects and checks that Redis answers: an unreachable Redis stops start-up with a message naming {@code redis}.
   * A caller on an event loop cannot wait, so there the first command is the check.
   */
  public static SharedRedis connect(Vertx vertx, URI url) throws ConfigException {
    String prefix = RedisUrl.prefix(url);
    String where = url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    RedisOptions options = new RedisOptions()
        .setConnectionString(RedisUrl.connectionString(url))
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) COMMAND_TIMEOUT.toMillis())
            .setSsl("rediss".equals(url.getScheme())));
    SharedRedis redis = new SharedRedis(Redis.createClient(vertx, options), prefix + ":", where);
    if (!Context.isOnEventLoopThread()) {
      try {
        redis.client.send(Request.cmd(Command.PING)).timeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).await();
      } catch (Exception e) {
        redis.close();
        throw new ConfigException("redis", "cannot reach Redis at " + where + " (" + reason(e)
            + "); start Redis there, fix the redis: URL, or remove redis: to run a single instance");
      }
    }
    return redis;
  }

  /** A key under this gateway cluster's prefix: {@code key("ended", id)} is {@code vestibule:ended:<id>}. */
  public String key(String... parts) {
    return prefix + String.join(":", parts);
  }

  public Future<Response> send(Request request) {
    return client.send(request).timeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).recover(failure -> {
      RedisUnavailableException unavailable = new RedisUnavailableException("Redis at " + where + " did not answer: "
          + reason(failure));
      warn(unavailable);
      return Future.failedFuture(unavailable);
    });
  }

  // An outage fails every request that needs Redis: say so in the log, but not once per request.
  private void warn(RedisUnavailableException unavailable) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY.toNanos() && lastWarning.compareAndSet(last, now)) {
      LOG.warn("{}; requests that need it are answered 503 until it is back", unavailable.getMessage());
    }
  }

  /** Runs a Lua script with its keys and arguments. */
  public Future<Response> eval(String script, List<String> keys, List<?> args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(a -> request.arg(String.valueOf(a)));
    return send(request);
  }

  /** SHA-256 of an id, hex: keys name no session id, user id or address in the clear. */
  public static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    String name = cause.getClass().getSimpleName();
    if (name.contains("Timeout")) return "no answer within " + COMMAND_TIMEOUT.toSeconds() + " s";
    if (name.contains("Connect") || String.valueOf(cause.getMessage()).contains("Connection refused")) {
      return "connection refused";
    }
    if (cause instanceof RedisUnavailableException) return cause.getMessage();
    return name;
  }
}
