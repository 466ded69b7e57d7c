package dev.vestibule.server;

import dev.vestibule.Vestibule;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.RouteConfig;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.proxy.WebSocketProxy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The gateway: one Vert.x HTTP server with the session endpoints and the configured routes. */
public final class Gateway {
  static final int MAX_HEADER_BYTES = 32 * 1024;

  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final Vertx vertx;
  private final HttpServer server;
  private final Vestibule vestibule;

  private Gateway(Vertx vertx, HttpServer server, Vestibule vestibule) {
    this.vertx = vertx;
    this.server = server;
    this.vestibule = vestibule;
  }

  /** Starts the gateway; the returned future fails if the address cannot be bound. */
  public static Future<Gateway> start(VestibuleConfig config, Clock clock) throws ConfigException {
    return start(config, clock, (router, vestibule) -> { });
  }

  /**
   * Starts the gateway with extra routes mounted after the session endpoints and before the configured
   * routes (the embedded default's demo pages).
   */
  public static Future<Gateway> start(VestibuleConfig config, Clock clock, BiConsumer<Router, Vestibule> extras)
      throws ConfigException {
    Vertx vertx = Vertx.vertx();
    Vestibule vestibule = null;
    try {
      vestibule = Vestibule.create(vertx, config, clock, new GatewayMetrics());
      Router router = router(vertx, vestibule, extras);
      HttpServerOptions options = new HttpServerOptions()
          .setHost(config.listen().host())
          .setPort(config.listen().port())
          .setMaxHeaderSize(MAX_HEADER_BYTES)
          .setMaxInitialLineLength(16 * 1024)
          .setHandle100ContinueAutomatically(true)
          // No cleartext HTTP/2: an "Upgrade: h2c" passed on by a front proxy would tunnel past that proxy's rules.
          .setHttp2ClearTextEnabled(false)
          .setMaxWebSocketFrameSize(WebSocketProxy.MAX_FRAME_BYTES)
          .setMaxWebSocketMessageSize(WebSocketProxy.MAX_FRAME_BYTES)
          .setDecompressionSupported(false)
          .setCompressionSupported(false);
      // One server per core: Vert.x spreads the connections of servers sharing a port over their event loops.
      // A random port (0, in tests) cannot be shared, so it gets one server.
      int servers = config.listen().port() == 0 ? 1 : EVENT_LOOPS;
      HttpServer first = vertx.createHttpServer(options).requestHandler(router);
      Vestibule started = vestibule;
      return first.listen().compose(bound -> {
        List<Future<HttpServer>> more = new ArrayList<>();
        for (int i = 1; i < servers; i++) more.add(vertx.createHttpServer(options).requestHandler(router).listen());
        return Future.all(more).map(all -> new Gateway(vertx, bound, started));
      }).onFailure(failure -> {
        started.close();
        vertx.close();
      });
    } catch (ConfigException | RuntimeException e) {
      if (vestibule != null) vestibule.close();
      vertx.close();
      throw e;
    }
  }

  private static Router router(Vertx vertx, Vestibule vestibule, BiConsumer<Router, Vestibule> extras) throws ConfigException {
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
    extras.accept(router, vestibule);

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

  public Vestibule vestibule() {
    return vestibule;
  }

  public Future<Void> stop() {
    return vertx.close().onComplete(ar -> vestibule.close());
  }
}
