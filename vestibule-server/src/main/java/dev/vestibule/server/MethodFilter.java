package dev.vestibule.server;

import dev.vestibule.web.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Restricts a route to its configured methods: 405 with an Allow header for the others. */
final class MethodFilter {
  private MethodFilter() {}

  static Handler<RoutingContext> of(Set<String> methods, Handler<RoutingContext> next) {
    String allow = String.join(", ", methods);
    return ctx -> {
      if (methods.contains(ctx.request().method().name())) {
        next.handle(ctx);
        return;
      }
      ctx.response().putHeader("Allow", allow);
      Problem.of(405, "method-not-allowed", "Method not allowed", "This route accepts " + allow + ".")
          .send(ctx.response());
    };
  }
}
