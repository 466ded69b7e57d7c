package dev.vestibule.redis;

import dev.vestibule.refresh.RefreshCoordinator;
import dev.vestibule.refresh.RefreshObserver;
import dev.vestibule.session.Session;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@link RefreshCoordinator} of a cluster: every instance sharing the Redis takes part in the same single
 * flight. The instance that wins a lock ({@code SET NX PX}) calls the provider and stores the outcome, sealed with
 * the session key, for {@code refresh.grace}; the others wait for it. Redis never holds a token in plain text.
 */
public final class RedisRefreshCoordinator implements RefreshCoordinator {
  private static final String PURPOSE = "refresh-result:";
  private static final long POLL_MILLIS = 20;
  private static final Duration LOCK_MARGIN = Duration.ofSeconds(5);

  // The stored outcome, unless the caller must pass it by; else the lock; else who holds it.
  private static final String ACQUIRE = """
      if ARGV[3] ~= 'pass' then
        local result = redis.call('GET', KEYS[1])
        if result then return {'result', result} end
      end
      if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lock', ''} end
      return {'wait', redis.call('GET', KEYS[2]) or ''}
      """;
  private static final String PEEK = "return {redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or ''}";
  // Stores the outcome and lets go of the lock, if it is still ours (compare-and-delete).
  private static final String FINISH = """
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
      return 1
      """;

  private final SharedRedis redis;
  private final Vertx vertx;
  private final SessionSealer sealer;
  private final Function<TokenSet, CompletionStage<TokenSet>> provider;
  private final Duration grace;
  private final Duration timeout;
  private final Clock clock;
  private final RefreshObserver observer;
  // Requests of this instance holding the same tokens share one conversation with Redis.
  private final ConcurrentHashMap<String, CompletableFuture<TokenSet>> inFlight = new ConcurrentHashMap<>();

  public RedisRefreshCoordinator(SharedRedis redis, Vertx vertx, SessionSealer sealer,
      Function<TokenSet, CompletionStage<TokenSet>> provider, Duration grace, Duration timeout, Clock clock,
      RefreshObserver observer) {
    this.redis = redis;
    this.vertx = vertx;
    this.sealer = sealer;
    this.provider = provider;
    this.grace = grace;
    this.timeout = timeout;
    this.clock = clock;
    this.observer = observer;
  }

  @Override
  public CompletionStage<TokenSet> refresh(TokenSet stale) {
    if (stale.refreshToken().isEmpty()) {
      return CompletableFuture.failedFuture(new TokenRejectedException("invalid_grant", "the session has no refresh token"));
    }
    String flight = fingerprint(stale.refreshToken().get());
    String local = fingerprint(flight + "\n" + stale.accessToken());
    CompletableFuture<TokenSet> mine = new CompletableFuture<>();
    CompletableFuture<TokenSet> joined = inFlight.putIfAbsent(local, mine);
    if (joined != null) {
      observer.coalesced();
      return joined.copy();
    }
    Instant deadline = clock.instant().plus(timeout).plus(LOCK_MARGIN);
    Keys keys = new Keys(flight, redis.key("refresh", flight, "result"), redis.key("refresh", flight, "lock"));
    attempt(keys, stale, false, deadline).onComplete(ar -> {
      inFlight.remove(local, mine);
      if (ar.succeeded()) {
        mine.complete(ar.result());
      } else {
        mine.completeExceptionally(ar.cause());
      }
    });
    return mine.copy();
  }

  private Future<TokenSet> attempt(Keys keys, TokenSet stale, boolean passResult, Instant deadline) {
    String owner = Session.newId();
    long lockMillis = timeout.plus(LOCK_MARGIN).toMillis();
    return redis.eval(ACQUIRE, List.of(keys.result, keys.lock), List.of(owner, lockMillis, passResult ? "pass" : "read"))
        .compose(reply -> switch (reply.get(0).toString()) {
          case "result" -> {
            Optional<Outcome> outcome = open(reply.get(1).toString(), keys.flight);
            if (outcome.isPresent() && outcome.get().answers(stale, null)) {
              observer.coalesced();
              yield outcome.get().future();
            }
            yield attempt(keys, stale, true, deadline);
          }
          case "lock" -> callProvider(keys, stale, owner);
          default -> waitFor(keys, stale, reply.get(1).toString(), deadline);
        });
  }

  private Future<TokenSet> waitFor(Keys keys, TokenSet stale, String holder, Instant deadline) {
    if (!clock.instant().isBefore(deadline)) {
      return Future.failedFuture(new ProviderUnavailableException("a refresh on another instance did not finish", null));
    }
    return vertx.timer(POLL_MILLIS, TimeUnit.MILLISECONDS)
        .compose(v -> redis.eval(PEEK, List.of(keys.result, keys.lock), List.of()))
        .compose(reply -> {
          String stored = reply.get(0).toString();
          String lock = reply.get(1).toString();
          Optional<Outcome> outcome = stored.isEmpty() ? Optional.empty() : open(stored, keys.flight);
          if (outcome.isPresent() && outcome.get().answers(stale, holder)) {
            observer.coalesced();
            return outcome.get().future();
          }
          if (!holder.isEmpty() && holder.equals(lock)) return waitFor(keys, stale, holder, deadline);
          return attempt(keys, stale, !stored.isEmpty(), deadline);
        });
  }

  private Future<TokenSet> callProvider(Keys keys, TokenSet stale, String owner) {
    CompletionStage<TokenSet> call;
    try {
      call = provider.apply(stale);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    Promise<TokenSet> done = Promise.promise();
    call.whenComplete((tokens, failure) -> {
      Throwable cause = failure == null ? null : unwrap(failure);
      Outcome outcome;
      if (failure == null) {
        observer.refreshed(RefreshObserver.Outcome.OK);
        outcome = new Outcome(owner, "ok", tokens, null);
      } else if (cause instanceof TokenRejectedException rejected) {
        observer.refreshed(RefreshObserver.Outcome.REJECTED);
        outcome = new Outcome(owner, "rejected", null, rejected.error());
      } else {
        observer.refreshed(RefreshObserver.Outcome.TRANSIENT);
        if (!(cause instanceof ProviderUnavailableException)) {
          cause = new ProviderUnavailableException("refresh failed: " + cause.getClass().getSimpleName(), null);
        }
        outcome = new Outcome(owner, "unavailable", null, null);
      }
      // An outage is an answer only for those who waited on this flight; later callers try again.
      long keepMillis = outcome.kind.equals("unavailable") ? POLL_MILLIS * 10 : Math.max(1_000, grace.toMillis());
      Throwable result = cause;
      redis.eval(FINISH, List.of(keys.result, keys.lock), List.of(owner, seal(outcome, keys.flight), keepMillis))
          // The provider's answer stands for this caller even when Redis could not keep it for the others.
          .onComplete(stored -> {
            if (result == null) {
              done.complete(tokens);
            } else {
              done.fail(result);
            }
          });
    });
    return done.future();
  }

  private String seal(Outcome outcome, String flight) {
    JsonObject json = new JsonObject().put("o", outcome.owner).put("k", outcome.kind);
    if (outcome.tokens != null) {
      TokenSet t = outcome.tokens;
      json.put("at", t.accessToken());
      t.refreshToken().ifPresent(rt -> json.put("rt", rt));
      t.idToken().ifPresent(it -> json.put("it", it));
      t.accessExpiresAt().ifPresent(e -> json.put("ate", e.toEpochMilli()));
    }
    if (outcome.error != null) json.put("e", outcome.error);
    return sealer.seal(json.encode(), PURPOSE + flight);
  }

  private Optional<Outcome> open(String sealed, String flight) {
    return sealer.unseal(sealed, PURPOSE + flight).flatMap(u -> {
      try {
        JsonObject json = new JsonObject(new String(u.plaintext(), StandardCharsets.UTF_8));
        TokenSet tokens = json.containsKey("at") ? new TokenSet(json.getString("at"),
            Optional.ofNullable(json.getString("rt")), Optional.ofNullable(json.getString("it")),
            Optional.ofNullable(json.getLong("ate")).map(Instant::ofEpochMilli)) : null;
        return Optional.of(new Outcome(json.getString("o"), json.getString("k"), tokens, json.getString("e")));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private record Keys(String flight, String result, String lock) {}

  private record Outcome(String owner, String kind, TokenSet tokens, String error) {
    boolean answers(TokenSet stale, String waitedOn) {
      return switch (kind) {
        // The caller already holds these tokens and was refused with them: it needs a new refresh.
        case "ok" -> tokens != null && !tokens.accessToken().equals(stale.accessToken());
        case "rejected" -> true;
        default -> waitedOn != null && waitedOn.equals(owner);
      };
    }

    Future<TokenSet> future() {
      if (kind.equals("ok")) return Future.succeededFuture(tokens);
      if (kind.equals("rejected")) return Future.failedFuture(new TokenRejectedException(error, "refused for another instance"));
      return Future.failedFuture(new ProviderUnavailableException("the identity provider could not refresh", null));
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private static String fingerprint(String text) {
    return SharedRedis.digest(text);
  }
}
