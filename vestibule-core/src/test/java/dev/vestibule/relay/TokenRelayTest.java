package dev.vestibule.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.refresh.LocalRefreshCoordinator;
import dev.vestibule.refresh.RefreshObserver;
import dev.vestibule.testing.MutableClock;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TokenRelayTest {
  private final MutableClock clock = new MutableClock();
  private final AtomicInteger refreshes = new AtomicInteger();
  private Function<TokenSet, CompletionStage<TokenSet>> provider = stale -> {
    refreshes.incrementAndGet();
    return CompletableFuture.completedFuture(tokens("fresh", "R2", clock.instant().plusSeconds(1800)));
  };

  private TokenRelay relay() {
    var coordinator = new LocalRefreshCoordinator(t -> provider.apply(t), Duration.ofSeconds(60), clock, RefreshObserver.NONE);
    return new TokenRelay(coordinator, Duration.ofSeconds(60), Duration.ofSeconds(60), clock);
  }

  private static TokenSet tokens(String access, String refresh, Instant expiresAt) {
    return new TokenSet(access, Optional.ofNullable(refresh), Optional.empty(), Optional.ofNullable(expiresAt));
  }

  /** An upstream that answers 401 to every token but the ones it accepts, recording what it saw. */
  static final class FakeUpstream implements UpstreamCall<Integer> {
    final List<String> seen = new ArrayList<>();
    final List<Integer> discarded = new ArrayList<>();
    final java.util.Set<String> accepted;

    FakeUpstream(String... accepted) {
      this.accepted = java.util.Set.of(accepted);
    }

    @Override
    public CompletionStage<Integer> send(String accessToken, int attempt) {
      seen.add(attempt + ":" + accessToken);
      return CompletableFuture.completedFuture(accepted.contains(accessToken) ? 200 : 401);
    }

    @Override public int status(Integer response) { return response; }
    @Override public void discard(Integer response) { discarded.add(response); }
  }

  @Test
  void freshTokenIsRelayedAsIsWithoutRefreshing() {
    var upstream = new FakeUpstream("A1");
    TokenSet tokens = tokens("A1", "R1", clock.instant().plusSeconds(600));
    Relayed<Integer> result = relay().send(tokens, upstream).toCompletableFuture().join();
    assertThat(result.response()).isEqualTo(200);
    assertThat(result.refreshed()).isFalse();
    assertThat(upstream.seen).containsExactly("1:A1");
    assertThat(refreshes).hasValue(0);
  }

  @Test
  void tokenAboutToExpireIsRefreshedBeforeForwarding() {
    var upstream = new FakeUpstream("fresh");
    TokenSet tokens = tokens("A1", "R1", clock.instant().plusSeconds(30));
    Relayed<Integer> result = relay().send(tokens, upstream).toCompletableFuture().join();
    assertThat(upstream.seen).containsExactly("1:fresh");
    assertThat(result.refreshed()).isTrue();
    assertThat(result.tokens().refreshToken()).contains("R2");
  }

  @Test
  void upstream401RefreshesOnceAndRetriesOnceEvenWhenTheTokenLookedFresh() {
    var upstream = new FakeUpstream("fresh");
    TokenSet tokens = tokens("A1", "R1", clock.instant().plusSeconds(600));
    Relayed<Integer> result = relay().send(tokens, upstream).toCompletableFuture().join();
    assertThat(upstream.seen).containsExactly("1:A1", "2:fresh");
    assertThat(upstream.discarded).containsExactly(401);
    assertThat(result.response()).isEqualTo(200);
    assertThat(result.refreshed()).isTrue();
    assertThat(refreshes).hasValue(1);
  }

  @Test
  void second401GoesBackAsIsWithTheRefreshedTokens() {
    var upstream = new FakeUpstream();
    Relayed<Integer> result = relay().send(tokens("A1", "R1", null), upstream).toCompletableFuture().join();
    assertThat(result.response()).isEqualTo(401);
    assertThat(result.refreshed()).isTrue();
    assertThat(upstream.seen).hasSize(2);
    assertThat(refreshes).hasValue(1);
  }

  @Test
  void without401OrRefreshTokenTheAnswerIsPassedThrough() {
    var upstream = new FakeUpstream();
    Relayed<Integer> result = relay().send(tokens("A1", null, null), upstream).toCompletableFuture().join();
    assertThat(result.response()).isEqualTo(401);
    assertThat(upstream.seen).containsExactly("1:A1");
    assertThat(refreshes).hasValue(0);
  }

  @Test
  void rejectedRefreshFailsTheRelayWithRejection() {
    provider = stale -> CompletableFuture.failedFuture(new TokenRejectedException("invalid_grant", null));
    var upstream = new FakeUpstream();
    assertThatThrownBy(() -> relay().send(tokens("A1", "R1", null), upstream).toCompletableFuture().join())
        .hasCauseInstanceOf(TokenRejectedException.class);
    assertThat(upstream.seen).containsExactly("1:A1");
  }

  @Test
  void unavailableProviderDuringProactiveRefreshFailsWithoutCallingUpstream() {
    provider = stale -> CompletableFuture.failedFuture(new ProviderUnavailableException("down", null));
    var upstream = new FakeUpstream("A1");
    TokenSet expiring = tokens("A1", "R1", clock.instant().plusSeconds(5));
    assertThatThrownBy(() -> relay().send(expiring, upstream).toCompletableFuture().join())
        .hasCauseInstanceOf(ProviderUnavailableException.class);
    assertThat(upstream.seen).isEmpty();
  }

  @Test
  void tokensJustRefreshedAreNotRefreshedAgainWhenTheProviderIssuesShortLivedOnes() {
    provider = stale -> {
      refreshes.incrementAndGet();
      return CompletableFuture.completedFuture(tokens("short-" + refreshes.get(), "R" + refreshes.get(), clock.instant().plusSeconds(30)));
    };
    TokenRelay relay = relay();
    TokenSet first = relay.ensureFresh(tokens("A1", "R1", clock.instant().plusSeconds(30))).toCompletableFuture().join();
    TokenSet second = relay.ensureFresh(first).toCompletableFuture().join();
    assertThat(second).isEqualTo(first);
    assertThat(refreshes).hasValue(1);
    clock.advance(Duration.ofSeconds(61));
    relay.ensureFresh(first).toCompletableFuture().join();
    assertThat(refreshes).hasValue(2);
  }

  @Test
  void justRefreshedTokensAreStillRefreshedAfterAnUpstream401() {
    var upstream = new FakeUpstream();
    TokenRelay relay = relay();
    relay.send(tokens("A1", "R1", null), upstream).toCompletableFuture().join();
    relay.send(tokens("fresh", "R2", null), upstream).toCompletableFuture().join();
    assertThat(refreshes).hasValue(2);
  }
}
