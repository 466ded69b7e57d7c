package dev.vestibule.relay;

import dev.vestibule.refresh.RefreshCoordinator;
import dev.vestibule.token.TokenSet;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
  private final Clock clock;

  public TokenRelay(RefreshCoordinator coordinator, Duration refreshBefore, Clock clock) {
    this.coordinator = coordinator;
    this.refreshBefore = refreshBefore;
    this.clock = clock;
  }

  /** The tokens to use now: these, or refreshed ones when less than {@code refresh.before} is left. */
  public CompletionStage<TokenSet> ensureFresh(TokenSet tokens) {
    if (tokens.refreshToken().isPresent() && tokens.expiresWithin(refreshBefore, clock.instant())) {
      return coordinator.refresh(tokens);
    }
    return CompletableFuture.completedFuture(tokens);
  }

  public <R> CompletionStage<Relayed<R>> send(TokenSet tokens, UpstreamCall<R> call) {
    return ensureFresh(tokens).thenCompose(fresh -> call.send(fresh.accessToken(), 1).thenCompose(response -> {
      if (call.status(response) != UNAUTHORIZED || fresh.refreshToken().isEmpty()) {
        return CompletableFuture.completedFuture(new Relayed<>(response, fresh, !fresh.equals(tokens)));
      }
      call.discard(response);
      return coordinator.refresh(fresh).thenCompose(renewed -> call.send(renewed.accessToken(), 2)
          .thenApply(retried -> new Relayed<>(retried, renewed, true)));
    }));
  }
}
