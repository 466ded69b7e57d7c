package dev.vestibule.builtin;

import dev.vestibule.guard.Verified;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.web.Problem;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Checks the built-in identity's endpoints share; each answers the request when it fails. */
final class Requests {
  private Requests() {}

  /** The session's user; empty after answering 401 when the session is not one of the built-in identity. */
  static Optional<String> userId(RoutingContext ctx) {
    Optional<String> id = Verified.of(ctx).userId();
    if (id.isPresent()) return id;
    Problem.unauthorized("This session has no user of the built-in identity.").send(ctx.response());
    return Optional.empty();
  }

  /** The JSON object a byteLimit guard read; empty after answering 415 or 400 (naming {@code example}). */
  static Optional<JsonObject> jsonBody(RoutingContext ctx, String example) {
    Optional<JsonObject> json = Verified.of(ctx).json();
    if (json.isPresent()) return json;
    if (Verified.of(ctx).body().isPresent()) {
      Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send the body as application/json.")
          .send(ctx.response());
    } else {
      Problem.badRequest("Send a JSON object, like " + example + ".").send(ctx.response());
    }
    return Optional.empty();
  }

  /** State-changing endpoints need the CSRF header once a session exists: false after answering 403. */
  static boolean csrfOnceLoggedIn(Sessions sessions, RoutingContext ctx) {
    if (sessions.get(ctx).isPresent() && !sessions.csrfValid(ctx)) {
      Problem.forbidden("Missing or wrong X-CSRF-Token header.").send(ctx.response());
      return false;
    }
    return true;
  }

  /**
   * Counts an attempt of {@code key} and goes on with {@code next} when allowed; after too many, answers 429 with
   * Retry-After instead. The counts may live in Redis: when they cannot be read, the request fails (503).
   */
  static void limited(RoutingContext ctx, RateLimiter limiter, String key, Runnable next) {
    Future.fromCompletionStage(limiter.attemptAsync(key), ctx.vertx().getOrCreateContext())
        .onFailure(ctx::fail)
        .onSuccess(decision -> {
          if (decision.allowed()) {
            next.run();
            return;
          }
          ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
          Problem.tooManyRequests(decision.retryAfterSeconds()).send(ctx.response());
        });
  }
}
