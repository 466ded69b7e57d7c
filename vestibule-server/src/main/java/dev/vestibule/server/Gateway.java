package dev.vestibule.server;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.auth.OAuth2Authenticator;
import dev.vestibule.auth.SessionEndpoints;
import dev.vestibule.config.ClientAuth;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.IdentityConfig;
import dev.vestibule.config.IdentityType;
import dev.vestibule.config.RateLimit;
import dev.vestibule.config.RouteConfig;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.guard.Guards;
import dev.vestibule.limit.LocalRateLimiter;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.proxy.ProxyHandler;
import dev.vestibule.refresh.LocalRefreshCoordinator;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.session.CsrfTokens;
import dev.vestibule.session.LocalEndedSessions;
import dev.vestibule.session.SessionCodec;
import dev.vestibule.session.SessionCookies;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.token.OAuth2Client;
import dev.vestibule.token.OAuth2Provider;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** The gateway, wired from its config: one Vert.x HTTP server in front of the configured routes. */
public final class Gateway {
  static final int MAX_HEADER_BYTES = 32 * 1024;

  private final Vertx vertx;
  private final HttpServer server;
  private final VestibuleConfig config;

  private Gateway(Vertx vertx, HttpServer server, VestibuleConfig config) {
    this.vertx = vertx;
    this.server = server;
    this.config = config;
  }

  /** Starts the gateway; the returned future fails if the address cannot be bound. */
  public static Future<Gateway> start(VestibuleConfig config, Clock clock) throws ConfigException {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = new Wiring(vertx, config, clock).router();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(config.listen().host())
          .setPort(config.listen().port())
          .setMaxHeaderSize(MAX_HEADER_BYTES)
          .setMaxInitialLineLength(16 * 1024)
          .setHandle100ContinueAutomatically(true)
          .setDecompressionSupported(false)
          .setCompressionSupported(false));
      return server.requestHandler(router).listen()
          .map(bound -> new Gateway(vertx, bound, config))
          .onFailure(failure -> vertx.close());
    } catch (ConfigException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public int port() {
    return server.actualPort();
  }

  public VestibuleConfig config() {
    return config;
  }

  public Future<Void> stop() {
    return vertx.close();
  }

  /** Builds the components once, in dependency order. */
  private static final class Wiring {
    private final Vertx vertx;
    private final VestibuleConfig config;
    private final Clock clock;
    private final GatewayMetrics metrics = new GatewayMetrics();

    Wiring(Vertx vertx, VestibuleConfig config, Clock clock) {
      this.vertx = vertx;
      this.config = config;
      this.clock = clock;
    }

    Router router() throws ConfigException {
      var session = config.session();
      Sessions sessions = new Sessions(
          new SessionCodec(new SessionSealer(session.secrets())),
          new SessionCookies(session.cookieName(), config.secure(), session.sameSite().attribute()),
          new CsrfTokens(session.secrets()),
          new LocalEndedSessions(clock),
          clock, session.maxAge(), session.idleTimeout(), session.sameSite().attribute(), config.secure(),
          metrics::sessionEnded);
      TokenEndpoint provider = tokenEndpoint(config.identity());
      Authenticator authenticator = new OAuth2Authenticator(provider);
      var coordinator = new LocalRefreshCoordinator(provider::refresh, config.refresh().grace(), clock, metrics);
      TokenRelay relay = new TokenRelay(coordinator, config.refresh().before(), clock);
      RefreshFailures refreshFailures = new RefreshFailures(sessions, config.login().page());
      Guards guards = new Guards(sessions, relay, refreshFailures);
      ClientAddress clients = new ClientAddress(config.trustedProxies());

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
      new SessionEndpoints(authenticator, sessions, clients,
          limiter(config.limits().login()), limiter(config.limits().login())).mount(router);

      HttpClient client = vertx.createHttpClient(new HttpClientOptions()
              .setKeepAlive(true)
              .setConnectTimeout(5_000)
              .setMaxHeaderSize(64 * 1024)
              .setDecompressionSupported(false),
          new PoolOptions().setHttp1MaxSize(128));
      for (RouteConfig route : config.routes()) {
        Handler<RoutingContext> handler = route.isStatic()
            ? StaticRoute.files(route)
            : guards.byteLimit(route.maxBodyBytes(),
                new ProxyHandler(route, client, sessions, relay, clients, refreshFailures, metrics));
        if (route.csrf()) handler = guards.csrf(handler);
        handler = switch (route.auth().mode()) {
          case REQUIRED -> guards.authenticated(handler);
          case OPTIONAL -> guards.optional(handler);
          case NONE -> handler;
          case API_KEY -> throw new ConfigException("routes", "auth apiKey needs identity.type builtin");
        };
        if (!route.methods().isEmpty()) handler = MethodFilter.of(route.methods(), handler);
        String prefix = route.prefix();
        var mounted = route.path().endsWith("/**")
            ? (prefix.isEmpty() ? router.route() : router.route(prefix + "/*"))
            : router.route(route.path());
        mounted.handler(RouteLabel.of(route.path(), handler));
        if (route.isStatic()) mounted.handler(StaticRoute.appFallback(route));
      }
      return router;
    }

    private TokenEndpoint tokenEndpoint(IdentityConfig identity) throws ConfigException {
      if (identity.type() != IdentityType.OAUTH2) {
        throw new ConfigException("identity.type", identity.type().name().toLowerCase()
            + " is not available in this build yet; use identity.type: oauth2 with a tokenEndpoint");
      }
      OAuth2Provider provider = new OAuth2Provider(identity.tokenEndpoint(), identity.revocationEndpoint(),
          identity.userinfoEndpoint(), identity.clientId(), identity.clientSecret(),
          identity.clientAuth() == ClientAuth.POST ? OAuth2Provider.ClientAuthentication.POST
              : OAuth2Provider.ClientAuthentication.BASIC,
          config.refresh().timeout());
      return new OAuth2Client(provider, clock);
    }

    private RateLimiter limiter(RateLimit limit) {
      return new LocalRateLimiter(limit.permits(), limit.window(), clock);
    }
  }
}
