package dev.vestibule.server;

import dev.vestibule.web.Problem;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The router's own errors as problem+json. */
final class ErrorPages {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

  private ErrorPages() {}

  static void mount(Router router) {
    router.errorHandler(400, ctx -> Problem.badRequest("The request could not be read.").send(ctx.response()));
    router.errorHandler(404, ctx -> Problem.notFound().send(ctx.response()));
    router.errorHandler(405, ctx ->
        Problem.of(405, "method-not-allowed", "Method not allowed", "This path does not accept " + ctx.request().method() + ".")
            .send(ctx.response()));
    router.errorHandler(413, ctx -> {
      ctx.response().putHeader("Connection", "close");
      Problem.of(413, "payload-too-large", "Payload too large", "The request body is too large.").send(ctx.response());
    });
    router.errorHandler(500, ctx -> {
      if (ctx.failure() != null) LOG.error("request to {} failed", ctx.normalizedPath(), ctx.failure());
      Problem.internal().send(ctx.response());
    });
  }
}
