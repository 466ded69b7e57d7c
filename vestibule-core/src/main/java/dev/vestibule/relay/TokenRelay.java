package dev.vestibule.relay;

import dev.vestibule.refresh.RefreshCoordinator;
import dev.vestibule.token.TokenSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a request upstream with a session's access token: refreshes first when the token is about to
 * expire, and after an upstream 401 refreshes once and retries once.
 *
 * <pre>{@code
 * relay.send(session.tokens(), call).thenAccept(relayed -> {
 *   if (relayed.refreshed()) store(session.withTokens(relayed.tokens()));
 *   answer(relayed.response());
 * });
 * }</pre>
 *
 * <p>Failures are those of {@link RefreshCoordinator}: a rejected refresh ends the login, an unavailable
 * provider leaves it as it was.
 */
public final class TokenRelay {
  private static final int UNAUTHORIZED = 401;

  private final RefreshCoordinator coordinator;
  private final Duration refreshBefore;
  private final Duration grace;
  private final Clock clock;
  // Access tokens this relay got from a refresh, by when: a provider whose tokens live shorter than
  // refresh.before would otherwise be asked again for every call that follows within one request.
  private final ConcurrentHashMap<String, Instant> minted = new ConcurrentHashMap<>();
  private volatile Instant lastSweep;

  public TokenRelay(RefreshCoordinator coordinator, Duration refreshBefore, Duration grace, Clock clock) {
    this.coordinator = coordinator;
    this.refreshBefore = refreshBefore;
    this.grace = grace;
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  /**
   * The tokens to use now: these, or refreshed ones when less than {@code refresh.before} is left. Tokens
   * this relay got from a refresh within the grace window are used as they are until they expire.
   */
  public CompletionStage<TokenSet> ensureFresh(TokenSet tokens) {
    Instant now = clock.instant();
    if (tokens.refreshToken().isEmpty() || !tokens.expiresWithin(refreshBefore, now)) {
      return CompletableFuture.completedFuture(tokens);
    }
    Instant mintedAt = minted.get(tokens.accessToken());
    if (mintedAt != null && now.isBefore(mintedAt.plus(grace)) && !tokens.expiresWithin(Duration.ZERO, now)) {
      return CompletableFuture.completedFuture(tokens);
    }
    return refresh(tokens);
  }

  private CompletionStage<TokenSet> refresh(TokenSet stale) {
    return coordinator.refresh(stale).thenApply(renewed -> {
      Instant now = clock.instant();
      minted.putIfAbsent(renewed.accessToken(), now);
      sweep(now);
      return renewed;
    });
  }

  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(grace) < 0) return;
    lastSweep = now;
    minted.values().removeIf(at -> !now.isBefore(at.plus(grace)));
  }

  public <R> CompletionStage<Relayed<R>> send(TokenSet tokens, UpstreamCall<R> call) {
    return ensureFresh(tokens).thenCompose(fresh -> call.send(fresh.accessToken(), 1).thenCompose(response -> {
      if (call.status(response) != UNAUTHORIZED || fresh.refreshToken().isEmpty()) {
        return CompletableFuture.completedFuture(new Relayed<>(response, fresh, !fresh.equals(tokens)));
      }
      call.discard(response);
      return refresh(fresh).thenCompose(renewed -> call.send(renewed.accessToken(), 2)
          .thenApply(retried -> new Relayed<>(retried, renewed, true)));
    }));
  }
}
