package dev.vestibule.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Names the route a request went to, for the request metrics. */
final class RouteLabel {
  static final String KEY = "vestibule.route";

  private RouteLabel() {}

  static Handler<RoutingContext> of(String label, Handler<RoutingContext> next) {
    return ctx -> {
      ctx.put(KEY, label);
      next.handle(ctx);
    };
  }
}
