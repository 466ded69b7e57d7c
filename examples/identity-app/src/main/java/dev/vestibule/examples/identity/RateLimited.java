package dev.vestibule.examples.identity;

import dev.vestibule.limit.RateLimiter;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A guard of the app's own, written the way the library's are: a function from the next handler to a handler that
 * checks one thing first. It nests with the library guards like any of them.
 */
final class RateLimited {
  private RateLimited() {}

  /** Counts every request against its client address; once there were too many, 429 with Retry-After. */
  static Handler<RoutingContext> perClient(RateLimiter limiter, ClientAddress clients, Handler<RoutingContext> next) {
    return ctx -> {
      if (!refused(ctx, limiter.attempt(clients.limitKey(ctx.request())))) next.handle(ctx);
    };
  }

  /** True after answering 429 with Retry-After when {@code decision} refuses. */
  static boolean refused(RoutingContext ctx, RateLimiter.Decision decision) {
    if (decision.allowed()) return false;
    ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    Problem.tooManyRequests(decision.retryAfterSeconds()).send(ctx.response());
    return true;
  }
}
