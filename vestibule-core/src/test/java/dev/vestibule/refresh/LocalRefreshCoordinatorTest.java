package dev.vestibule.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.testing.MutableClock;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalRefreshCoordinatorTest {
  private static final Duration GRACE = Duration.ofSeconds(60);
  private final MutableClock clock = new MutableClock();
  private final AtomicInteger providerCalls = new AtomicInteger();
  private final CountingObserver observer = new CountingObserver();
  private final ExecutorService pool = Executors.newFixedThreadPool(32);
  private final ExecutorService providerThreads = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
    providerThreads.shutdownNow();
  }

  private static TokenSet tokens(String access, String refresh) {
    return new TokenSet(access, Optional.of(refresh), Optional.empty(), Optional.empty());
  }

  /** A provider that rotates: A1/R1 -> A2/R2 -> ... */
  private Function<TokenSet, CompletionStage<TokenSet>> rotatingProvider(Duration latency) {
    return stale -> CompletableFuture.supplyAsync(() -> {
      int n = providerCalls.incrementAndGet();
      sleep(latency);
      return tokens("A" + (n + 1), "R" + (n + 1));
    }, providerThreads);
  }

  @Test
  void refreshStormMakesOneProviderCallAndEveryoneGetsItsResult() throws Exception {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ofMillis(50)), GRACE, clock, observer);
    TokenSet stale = tokens("A1", "R1");
    int callers = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<TokenSet>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return coordinator.refresh(stale).toCompletableFuture().get(5, TimeUnit.SECONDS);
      }));
    }
    start.countDown();
    for (Future<TokenSet> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS).accessToken()).isEqualTo("A2");
    }
    assertThat(providerCalls).hasValue(1);
    assertThat(observer.ok).hasValue(1);
    assertThat(observer.coalesced).hasValue(callers - 1);
  }

  @Test
  void lateCallerWithThePreRefreshTokensWithinGraceGetsTheSameResultWithoutACall() {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ZERO), GRACE, clock, observer);
    TokenSet stale = tokens("A1", "R1");
    TokenSet first = coordinator.refresh(stale).toCompletableFuture().join();
    clock.advance(GRACE.minusSeconds(1));
    TokenSet late = coordinator.refresh(stale).toCompletableFuture().join();
    assertThat(late).isEqualTo(first);
    assertThat(providerCalls).hasValue(1);
  }

  @Test
  void afterTheGraceWindowTheOldRefreshTokenGoesToTheProviderAgain() {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ZERO), GRACE, clock, observer);
    TokenSet stale = tokens("A1", "R1");
    coordinator.refresh(stale).toCompletableFuture().join();
    clock.advance(GRACE);
    coordinator.refresh(stale).toCompletableFuture().join();
    assertThat(providerCalls).hasValue(2);
  }

  @Test
  void callerAlreadyHoldingTheRefreshedAccessTokenGetsANewRefresh() {
    // A provider that does not rotate refresh tokens: the refreshed set keeps R1.
    Function<TokenSet, CompletionStage<TokenSet>> provider = stale ->
        CompletableFuture.completedFuture(tokens("A" + (providerCalls.incrementAndGet() + 1), "R1"));
    var coordinator = new LocalRefreshCoordinator(provider, GRACE, clock, observer);
    TokenSet refreshed = coordinator.refresh(tokens("A1", "R1")).toCompletableFuture().join();
    TokenSet again = coordinator.refresh(refreshed).toCompletableFuture().join();
    assertThat(again.accessToken()).isEqualTo("A3");
    assertThat(providerCalls).hasValue(2);
  }

  @Test
  void rejectionIsSharedWithinGraceSoADeadTokenIsNotSentTwice() {
    Function<TokenSet, CompletionStage<TokenSet>> provider = stale -> {
      providerCalls.incrementAndGet();
      return CompletableFuture.failedFuture(new TokenRejectedException("invalid_grant", null));
    };
    var coordinator = new LocalRefreshCoordinator(provider, GRACE, clock, observer);
    TokenSet stale = tokens("A1", "R1");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> coordinator.refresh(stale).toCompletableFuture().join())
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(TokenRejectedException.class);
    }
    assertThat(providerCalls).hasValue(1);
    assertThat(observer.rejected).hasValue(1);
  }

  @Test
  void providerOutageIsNotRememberedSoTheNextCallerTriesAgain() {
    Function<TokenSet, CompletionStage<TokenSet>> provider = stale -> providerCalls.incrementAndGet() == 1
        ? CompletableFuture.failedFuture(new ProviderUnavailableException("down", null))
        : CompletableFuture.completedFuture(tokens("A2", "R2"));
    var coordinator = new LocalRefreshCoordinator(provider, GRACE, clock, observer);
    TokenSet stale = tokens("A1", "R1");
    assertThatThrownBy(() -> coordinator.refresh(stale).toCompletableFuture().join())
        .hasCauseInstanceOf(ProviderUnavailableException.class);
    assertThat(coordinator.refresh(stale).toCompletableFuture().join().accessToken()).isEqualTo("A2");
    assertThat(observer.transientFailures).hasValue(1);
    assertThat(observer.ok).hasValue(1);
  }

  @Test
  void unexpectedProviderFailureCountsAsUnavailableNotAsRejected() {
    Function<TokenSet, CompletionStage<TokenSet>> provider = stale -> {
      throw new IllegalStateException("bug");
    };
    var coordinator = new LocalRefreshCoordinator(provider, GRACE, clock, observer);
    assertThatThrownBy(() -> coordinator.refresh(tokens("A1", "R1")).toCompletableFuture().join())
        .hasCauseInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void tokensWithoutARefreshTokenAreRejectedWithoutCallingTheProvider() {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ZERO), GRACE, clock, observer);
    TokenSet noRefresh = new TokenSet("A1", Optional.empty(), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> coordinator.refresh(noRefresh).toCompletableFuture().join())
        .hasCauseInstanceOf(TokenRejectedException.class);
    assertThat(providerCalls).hasValue(0);
  }

  @Test
  void settledFlightsAreForgottenAfterTheGraceWindow() {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ZERO), GRACE, clock, observer);
    for (int i = 0; i < 100; i++) coordinator.refresh(tokens("A", "R-" + i)).toCompletableFuture().join();
    assertThat(coordinator.size()).isEqualTo(100);
    clock.advance(GRACE.plusSeconds(1));
    coordinator.refresh(tokens("A", "R-new")).toCompletableFuture().join();
    assertThat(coordinator.size()).isEqualTo(1);
  }

  @Test
  void manySessionsRefreshingAtOnceEachMakeExactlyOneCall() throws Exception {
    var coordinator = new LocalRefreshCoordinator(rotatingProvider(Duration.ofMillis(5)), GRACE, clock, observer);
    int sessions = 50;
    int callersPerSession = 20;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> all = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      TokenSet stale = tokens("A-" + s, "R-" + s);
      for (int c = 0; c < callersPerSession; c++) {
        all.add(pool.submit(() -> {
          start.await();
          return coordinator.refresh(stale).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }));
      }
    }
    start.countDown();
    for (Future<?> f : all) f.get(20, TimeUnit.SECONDS);
    assertThat(providerCalls).hasValue(sessions);
    assertThat(observer.coalesced).hasValue(sessions * (callersPerSession - 1));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class CountingObserver implements RefreshObserver {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger transientFailures = new AtomicInteger();
    final AtomicInteger coalesced = new AtomicInteger();

    @Override
    public void refreshed(Outcome outcome) {
      switch (outcome) {
        case OK -> ok.incrementAndGet();
        case REJECTED -> rejected.incrementAndGet();
        case TRANSIENT -> transientFailures.incrementAndGet();
      }
    }

    @Override
    public void coalesced() {
      coalesced.incrementAndGet();
    }
  }
}
