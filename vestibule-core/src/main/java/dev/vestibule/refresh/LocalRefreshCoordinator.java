package dev.vestibule.refresh;

import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The {@link RefreshCoordinator} of a single gateway instance. */
public final class LocalRefreshCoordinator implements RefreshCoordinator {
  private final Function<TokenSet, CompletionStage<TokenSet>> provider;
  private final Duration grace;
  private final Clock clock;
  private final RefreshObserver observer;
  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private volatile Instant lastSweep;

  /** @param provider performs one real refresh at the identity provider */
  public LocalRefreshCoordinator(Function<TokenSet, CompletionStage<TokenSet>> provider, Duration grace, Clock clock,
      RefreshObserver observer) {
    this.provider = provider;
    this.grace = grace;
    this.clock = clock;
    this.observer = observer;
    this.lastSweep = clock.instant();
  }

  @Override
  public CompletionStage<TokenSet> refresh(TokenSet stale) {
    if (stale.refreshToken().isEmpty()) {
      return CompletableFuture.failedFuture(new TokenRejectedException("invalid_grant", "the session has no refresh token"));
    }
    String key = fingerprint(stale.refreshToken().get());
    while (true) {
      Instant now = clock.instant();
      Flight existing = flights.get(key);
      if (existing != null) {
        if (existing.answers(stale, now, grace)) {
          observer.coalesced();
          return existing.result.copy();
        }
        flights.remove(key, existing);
        continue;
      }
      Flight flight = new Flight();
      if (flights.putIfAbsent(key, flight) != null) continue;
      sweep(now);
      start(key, flight, stale);
      return flight.result.copy();
    }
  }

  private void start(String key, Flight flight, TokenSet stale) {
    CompletionStage<TokenSet> call;
    try {
      call = provider.apply(stale);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((tokens, failure) -> {
      flight.settledAt = clock.instant();
      if (failure == null) {
        observer.refreshed(RefreshObserver.Outcome.OK);
        flight.result.complete(tokens);
        return;
      }
      Throwable cause = unwrap(failure);
      if (cause instanceof TokenRejectedException) {
        observer.refreshed(RefreshObserver.Outcome.REJECTED);
      } else {
        observer.refreshed(RefreshObserver.Outcome.TRANSIENT);
        // A provider outage is not an answer about this token: the next caller must try again.
        flights.remove(key, flight);
        if (!(cause instanceof ProviderUnavailableException)) {
          cause = new ProviderUnavailableException("refresh failed: " + cause.getClass().getSimpleName(), null);
        }
      }
      flight.result.completeExceptionally(cause);
    });
  }

  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(grace) < 0) return;
    lastSweep = now;
    flights.values().removeIf(flight -> flight.expired(now, grace));
  }

  /** Flights in memory, for tests of the grace window's clean-up. */
  int size() {
    return flights.size();
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private static String fingerprint(String refreshToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Flight {
    final CompletableFuture<TokenSet> result = new CompletableFuture<>();
    volatile Instant settledAt;

    boolean answers(TokenSet stale, Instant now, Duration grace) {
      if (!result.isDone()) return true;
      if (expired(now, grace)) return false;
      if (result.isCompletedExceptionally()) return true;
      // The caller already holds this flight's tokens and was refused with them: it needs a new refresh.
      return !result.join().accessToken().equals(stale.accessToken());
    }

    boolean expired(Instant now, Duration grace) {
      Instant settled = settledAt;
      return settled != null && !now.isBefore(settled.plus(grace));
    }
  }
}
