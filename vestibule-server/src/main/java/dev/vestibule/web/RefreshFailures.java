package dev.vestibule.web;

import dev.vestibule.redis.RedisUnavailableException;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;

/**
 * What the client sees when its tokens could not be refreshed: a rejected refresh ends the session and
 * sends the user to login; an unavailable provider answers 503 and leaves the session as it was.
 */
public final class RefreshFailures {
  static final long RETRY_AFTER_SECONDS = 5;

  private final Sessions sessions;
  private final String loginPage;

  public RefreshFailures(Sessions sessions, String loginPage) {
    this.sessions = sessions;
    this.loginPage = loginPage;
  }

  /** Answers the request if {@code failure} is a refresh failure; false when it is something else. */
  public boolean handle(RoutingContext ctx, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TokenRejectedException) {
      sessions.end(ctx);
      loginRequired(ctx, "The session has ended; log in again.");
      return true;
    }
    if (cause instanceof RedisUnavailableException) {
      ctx.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
      Problem.of(503, "shared-state-unavailable", "Service unavailable",
              "The gateway cannot reach the state its instances share; try again shortly.")
          .with("retryAfter", RETRY_AFTER_SECONDS)
          .send(ctx.response());
      return true;
    }
    if (cause instanceof ProviderUnavailableException) {
      ctx.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
      Problem.of(503, "provider-unavailable", "Service unavailable",
              "The identity provider could not refresh the session now; try again shortly.")
          .with("retryAfter", RETRY_AFTER_SECONDS)
          .send(ctx.response());
      return true;
    }
    return false;
  }

  /** 302 to the login page for a browser navigation, else 401 with a {@code login} member. */
  public void loginRequired(RoutingContext ctx, String detail) {
    String login = Navigation.loginUrl(loginPage, ctx.request());
    if (Navigation.isNavigation(ctx.request())) {
      ctx.response().setStatusCode(302).putHeader("Location", login).putHeader("Cache-Control", "no-store").end();
      return;
    }
    Problem.unauthorized(detail).with("login", login).send(ctx.response());
  }

  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    return cause;
  }
}
