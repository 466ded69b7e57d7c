package dev.vestibule.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.refresh.RefreshObserver;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.testing.Concurrently;
import dev.vestibule.testing.TestGateway;
import dev.vestibule.testing.TestRedis;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two coordinators on one Redis act as one: at most one refresh per refresh token, everyone gets its result. */
class RedisRefreshCoordinatorTest {
  private static final TokenSet STALE = tokens("at-old", "rt-old");

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger calls = new AtomicInteger();
  private final SessionSealer sealer = new SessionSealer(List.of(TestGateway.SECRET));
  private volatile Function<TokenSet, CompletionStage<TokenSet>> provider = stale -> later(tokens("at-new", "rt-new"));
  private SharedRedis redis;
  private RedisRefreshCoordinator one;
  private RedisRefreshCoordinator other;

  @BeforeEach
  void connect() throws Exception {
    redis = SharedRedis.connect(vertx, URI.create(TestRedis.cluster()));
    one = coordinator();
    other = coordinator();
  }

  @AfterEach
  void close() {
    if (redis != null) redis.close();
    vertx.close().await();
  }

  private RedisRefreshCoordinator coordinator() {
    return new RedisRefreshCoordinator(redis, vertx, sealer, stale -> {
      calls.incrementAndGet();
      return provider.apply(stale);
    }, Duration.ofSeconds(60), Duration.ofSeconds(5), Clock.systemUTC(), RefreshObserver.NONE);
  }

  @Test
  void aRefreshStormOnTwoInstancesMakesOneProviderCall() {
    AtomicInteger turn = new AtomicInteger();

    List<TokenSet> results = Concurrently.run(40, () ->
        (turn.incrementAndGet() % 2 == 0 ? one : other).refresh(STALE).toCompletableFuture().join());

    assertThat(calls.get()).isEqualTo(1);
    assertThat(results).extracting(TokenSet::accessToken).containsOnly("at-new");
  }

  @Test
  void aLateCallerWithThePreRefreshTokensGetsTheResultWithoutACall() {
    one.refresh(STALE).toCompletableFuture().join();

    TokenSet late = other.refresh(STALE).toCompletableFuture().join();

    assertThat(late.accessToken()).isEqualTo("at-new");
    assertThat(late.refreshToken()).contains("rt-new");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void aCallerAlreadyHoldingTheResultStartsANewRefresh() {
    // A provider that does not rotate refresh tokens: the refreshed set keeps "rt-old".
    provider = stale -> later(tokens("at-" + calls.get(), "rt-old"));
    TokenSet first = one.refresh(STALE).toCompletableFuture().join();

    TokenSet second = other.refresh(first).toCompletableFuture().join();

    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void aRejectionIsEveryonesAnswer() {
    provider = stale -> CompletableFuture.failedFuture(new TokenRejectedException("invalid_grant", null));

    List<Throwable> failures = Concurrently.run(10, () -> failureOf(one.refresh(STALE)));
    Throwable late = failureOf(other.refresh(STALE));

    assertThat(failures).allMatch(TokenRejectedException.class::isInstance);
    assertThat(late).isInstanceOf(TokenRejectedException.class);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void anOutageIsNotRememberedForLaterCallers() throws Exception {
    provider = stale -> CompletableFuture.failedFuture(new ProviderUnavailableException("down", null));
    assertThat(failureOf(one.refresh(STALE))).isInstanceOf(ProviderUnavailableException.class);
    provider = stale -> later(tokens("at-new", "rt-new"));
    Thread.sleep(250);

    assertThat(other.refresh(STALE).toCompletableFuture().join().accessToken()).isEqualTo("at-new");
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void redisHoldsTheResultSealedNeverAToken() {
    one.refresh(STALE).toCompletableFuture().join();

    List<String> values = values();
    assertThat(values).isNotEmpty();
    assertThat(String.join("\n", values)).doesNotContain("at-new").doesNotContain("rt-new").doesNotContain("rt-old");
  }

  private List<String> values() {
    Response keys = redis.send(Request.cmd(Command.KEYS).arg(redis.key("*"))).await();
    List<String> values = new ArrayList<>();
    for (Response key : keys) values.add(redis.send(Request.cmd(Command.GET).arg(key.toString())).await().toString());
    return values;
  }

  private static Throwable failureOf(CompletionStage<TokenSet> stage) {
    try {
      stage.toCompletableFuture().join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private CompletionStage<TokenSet> later(TokenSet tokens) {
    CompletableFuture<TokenSet> answer = new CompletableFuture<>();
    vertx.setTimer(200, id -> answer.complete(tokens));
    return answer;
  }

  private static TokenSet tokens(String access, String refresh) {
    return new TokenSet(access, Optional.of(refresh), Optional.empty(), Optional.of(Instant.now().plusSeconds(300)));
  }
}
