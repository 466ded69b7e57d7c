package dev.vestibule.guard;

import dev.vestibule.relay.TokenRelay;
import dev.vestibule.session.Session;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * Route guards: higher-order handlers that check one thing before the wrapped handler runs, and compose by
 * nesting. {@code authenticated(csrf(byteLimit(1 << 20, handler)))} is a route that needs a session, a
 * CSRF header on unsafe methods, and a body of at most 1 MiB.
 */
public final class Guards {
  private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final Sessions sessions;
  private final TokenRelay relay;
  private final RefreshFailures refreshFailures;

  public Guards(Sessions sessions, TokenRelay relay, RefreshFailures refreshFailures) {
    this.sessions = sessions;
    this.relay = relay;
    this.refreshFailures = refreshFailures;
  }

  /**
   * Needs a usable session: 401 (or 302 for a browser navigation) without one. Tokens about to expire are
   * refreshed first, so the handler always sees fresh ones in {@link Sessions#get}.
   */
  public Handler<RoutingContext> authenticated(Handler<RoutingContext> next) {
    return ctx -> {
      ctx.request().pause();
      Optional<Session> session = sessions.get(ctx);
      if (session.isEmpty()) {
        refreshFailures.loginRequired(ctx, "This route needs a logged-in session.");
        return;
      }
      refreshed(ctx, session.get()).onComplete(ar -> {
        if (ar.succeeded()) {
          next.handle(ctx);
        } else if (!refreshFailures.handle(ctx, ar.cause())) {
          ctx.fail(ar.cause());
        }
      });
    };
  }

  /**
   * Uses the session when there is one and goes on as a guest otherwise; a session whose refresh was
   * rejected is ended and the request continues as a guest.
   */
  public Handler<RoutingContext> optional(Handler<RoutingContext> next) {
    return ctx -> {
      ctx.request().pause();
      Optional<Session> session = sessions.get(ctx);
      if (session.isEmpty()) {
        next.handle(ctx);
        return;
      }
      refreshed(ctx, session.get()).onComplete(ar -> {
        if (ar.succeeded()) {
          next.handle(ctx);
          return;
        }
        Throwable cause = RefreshFailures.unwrap(ar.cause());
        if (cause instanceof dev.vestibule.token.TokenRejectedException) {
          sessions.end(ctx);
          next.handle(ctx);
        } else if (!refreshFailures.handle(ctx, cause)) {
          ctx.fail(cause);
        }
      });
    };
  }

  /**
   * Unsafe methods on a request with a session need an {@code X-CSRF-Token} header equal to the
   * {@code vestibule-csrf} cookie and bound to that session; 403 otherwise, before anything else happens.
   */
  public Handler<RoutingContext> csrf(Handler<RoutingContext> next) {
    return ctx -> {
      if (UNSAFE.contains(ctx.request().method()) && sessions.get(ctx).isPresent() && !sessions.csrfValid(ctx)) {
        Problem.forbidden("Missing or wrong X-CSRF-Token header.").send(ctx.response());
        return;
      }
      next.handle(ctx);
    };
  }

  /** 413 when the declared Content-Length is over {@code bytes}; streamed bodies are checked as they arrive. */
  public Handler<RoutingContext> byteLimit(long bytes, Handler<RoutingContext> next) {
    return ctx -> {
      String length = ctx.request().getHeader("Content-Length");
      if (length != null && declaredLength(length) > bytes) {
        ctx.response().putHeader("Connection", "close");
        Problem.tooLarge(bytes).send(ctx.response());
        return;
      }
      next.handle(ctx);
    };
  }

  private Future<Session> refreshed(RoutingContext ctx, Session session) {
    return Future.fromCompletionStage(relay.ensureFresh(session.tokens()), ctx.vertx().getOrCreateContext())
        .map(tokens -> {
          if (tokens.equals(session.tokens())) return session;
          Session renewed = session.withTokens(tokens);
          sessions.replace(ctx, renewed);
          return renewed;
        });
  }

  private static long declaredLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
