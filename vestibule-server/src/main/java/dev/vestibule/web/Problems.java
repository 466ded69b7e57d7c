package dev.vestibule.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns failed requests into problem+json: a {@link ProblemException} as it says, anything else as 500. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  /**
   * A failure handler for a router: {@code router.route().failureHandler(Problems.failureHandler())}.
   */
  public static Handler<RoutingContext> failureHandler() {
    return ctx -> {
      Throwable failure = RefreshFailures.unwrap(ctx.failure() == null ? new IllegalStateException() : ctx.failure());
      if (failure instanceof ProblemException problem) {
        problem.problem().send(ctx.response());
        return;
      }
      int status = ctx.statusCode();
      if (ctx.failure() == null && status >= 400 && status < 500) {
        Problem.of(status, "http-" + status, io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase(),
            "The request was refused.").send(ctx.response());
        return;
      }
      LOG.error("request to {} failed", ctx.normalizedPath(), ctx.failure());
      if (ctx.response().headWritten()) {
        ctx.response().reset();
      } else {
        Problem.internal().send(ctx.response());
      }
    };
  }
}
