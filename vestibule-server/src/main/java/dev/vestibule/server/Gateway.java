package dev.vestibule.server;

import dev.vestibule.Vestibule;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.RouteConfig;
import dev.vestibule.config.VestibuleConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** The gateway: one Vert.x HTTP server with the session endpoints and the configured routes. */
public final class Gateway {
  static final int MAX_HEADER_BYTES = 32 * 1024;

  private final Vertx vertx;
  private final HttpServer server;

  private Gateway(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts the gateway; the returned future fails if the address cannot be bound. */
  public static Future<Gateway> start(VestibuleConfig config, Clock clock) throws ConfigException {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = router(vertx, Vestibule.create(vertx, config, clock, new GatewayMetrics()));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(config.listen().host())
          .setPort(config.listen().port())
          .setMaxHeaderSize(MAX_HEADER_BYTES)
          .setMaxInitialLineLength(16 * 1024)
          .setHandle100ContinueAutomatically(true)
          .setDecompressionSupported(false)
          .setCompressionSupported(false));
      return server.requestHandler(router).listen()
          .map(bound -> new Gateway(vertx, bound))
          .onFailure(failure -> vertx.close());
    } catch (ConfigException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static Router router(Vertx vertx, Vestibule vestibule) throws ConfigException {
    GatewayMetrics metrics = vestibule.metrics();
    Router router = Router.router(vertx);
    ErrorPages.mount(router);
    router.route().handler(ctx -> {
      ctx.addEndHandler(v -> metrics.request(ctx.get(RouteLabel.KEY, "unmatched"), ctx.response().getStatusCode()));
      ctx.next();
    });
    router.get("/healthz").handler(RouteLabel.of("/healthz", ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}")));
    router.get("/metrics").handler(RouteLabel.of("/metrics", ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape())));
    router.route("/auth/*").handler(ctx -> {
      ctx.put(RouteLabel.KEY, ctx.normalizedPath());
      ctx.next();
    });
    vestibule.mountAuthEndpoints(router);

    for (RouteConfig route : vestibule.config().routes()) {
      Handler<RoutingContext> handler = vestibule.route(route, route.isStatic() ? StaticRoute.files(route) : null);
      if (!route.methods().isEmpty()) handler = MethodFilter.of(route.methods(), handler);
      Route mounted = route.path().endsWith("/**")
          ? (route.prefix().isEmpty() ? router.route() : router.route(route.prefix() + "/*"))
          : router.route(route.path());
      mounted.handler(RouteLabel.of(route.path(), handler));
      if (route.isStatic()) mounted.handler(StaticRoute.appFallback(route));
    }
    router.route().failureHandler(vestibule.failureHandler());
    return router;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return vertx.close();
  }
}
