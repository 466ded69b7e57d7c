package dev.vestibule;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.auth.LoginBudget;
import dev.vestibule.auth.OAuth2Authenticator;
import dev.vestibule.auth.SessionEndpoints;
import dev.vestibule.config.ClientAuth;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.config.IdentityConfig;
import dev.vestibule.config.IdentityType;
import dev.vestibule.builtin.ApiKeyEndpoints;
import dev.vestibule.builtin.BuiltinIdentity;
import dev.vestibule.builtin.BuiltinSetup;
import dev.vestibule.builtin.IdentityEndpoints;
import dev.vestibule.builtin.MailBudget;
import dev.vestibule.builtin.MailedLoginEndpoints;
import dev.vestibule.config.RateLimit;
import dev.vestibule.config.RouteConfig;
import dev.vestibule.config.SessionStore;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.guard.ApiKeyGuard;
import dev.vestibule.guard.Guards;
import dev.vestibule.guard.MailedLoginGuard;
import dev.vestibule.limit.LocalRateLimiter;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.oidc.OidcIdentity;
import dev.vestibule.proxy.ProxyHandler;
import dev.vestibule.proxy.WebSocketProxy;
import dev.vestibule.proxy.UpstreamClient;
import dev.vestibule.redis.RedisEndedSessions;
import dev.vestibule.redis.RedisRateLimiter;
import dev.vestibule.redis.RedisRefreshCoordinator;
import dev.vestibule.redis.RedisStoredSessions;
import dev.vestibule.redis.SharedRedis;
import dev.vestibule.refresh.LocalRefreshCoordinator;
import dev.vestibule.refresh.RefreshCoordinator;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.server.GatewayMetrics;
import dev.vestibule.session.CsrfTokens;
import dev.vestibule.session.LocalEndedSessions;
import dev.vestibule.session.SessionCodec;
import dev.vestibule.session.SessionCookies;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.token.OAuth2Client;
import dev.vestibule.token.OAuth2Provider;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.ProblemException;
import dev.vestibule.web.Problems;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;

/**
 * Vestibule as a library, for an application that serves its own routes on Vert.x: sealed sessions, the
 * session endpoints, route guards, and a client that calls upstream APIs with the user's token. The gateway
 * is built from exactly these pieces.
 *
 * <pre>{@code
 * Vestibule vestibule = Vestibule.fromYaml(vertx, Files.readString(Path.of("vestibule.yaml")), System.getenv());
 * Router router = Router.router(vertx);
 * vestibule.mountAuthEndpoints(router);                     // /auth/login, /auth/session, /auth/logout
 * UpstreamClient orders = vestibule.upstream(URI.create("http://orders.internal/v1"));
 * Guards guards = vestibule.guards();
 * router.get("/api/orders/:id").handler(guards.authenticated(ctx ->
 *     orders.get(ctx, "/orders/" + ctx.pathParam("id"))
 *         .onSuccess(reply -> reply.send(ctx.response()))
 *         .onFailure(ctx::fail)));
 * router.route().failureHandler(vestibule.failureHandler());
 * }</pre>
 */
public final class Vestibule implements AutoCloseable {
  private static final int CODES_ACCOUNTS_PER_IP = 10;
  /** Reset and login-link mails asked for from one address: more generous, as asking costs no guess. */
  private static final int MAIL_ACCOUNTS_PER_IP = 20;

  private final VestibuleConfig config;
  private final GatewayMetrics metrics;
  private final Sessions sessions;
  private final TokenRelay relay;
  private final RefreshFailures refreshFailures;
  private final Guards guards;
  private final ClientAddress clients;
  private final Authenticator authenticator;
  private final BuiltinIdentity builtin;
  private final OidcIdentity oidc;
  private final HttpClient client;
  private final WebSocketClient webSocketClient;
  private final Clock clock;
  private final SharedRedis redis;

  private Vestibule(Vertx vertx, VestibuleConfig config, Clock clock, GatewayMetrics metrics) throws ConfigException {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    var session = config.session();
    this.redis = config.redis().isPresent() ? SharedRedis.connect(vertx, config.redis().get()) : null;
    SessionSealer sealer = new SessionSealer(session.secrets());
    this.sessions = new Sessions(
        new SessionCodec(sealer),
        new SessionCookies(session.cookieName(), config.secure(), session.sameSite().attribute()),
        new CsrfTokens(session.secrets()),
        redis == null ? new LocalEndedSessions(clock) : new RedisEndedSessions(redis, clock),
        clock, session.maxAge(), session.idleTimeout(), session.sameSite().attribute(), config.secure(),
        metrics::sessionEnded, session.store() == SessionStore.REDIS ? new RedisStoredSessions(redis, clock) : null);
    this.oidc = config.identity().type() == IdentityType.OIDC ? OidcIdentity.discover(config, clock) : null;
    TokenEndpoint provider;
    switch (config.identity().type()) {
      case OAUTH2 -> {
        provider = oauth2(config.identity());
        this.authenticator = new OAuth2Authenticator(provider);
        this.builtin = null;
      }
      case BUILTIN -> {
        this.builtin = BuiltinSetup.open(config, clock);
        // Logins ended by a password reset while this instance was down (or before it restarted) stay ended.
        if (redis == null) rememberPasswordResets(builtin, sessions, session.maxAge(), clock);
        provider = builtin;
        this.authenticator = builtin;
      }
      case OIDC -> {
        provider = oidc.tokens();
        this.authenticator = new OAuth2Authenticator(provider);
        this.builtin = null;
      }
      // Needed only so that the compiler sees every field assigned: the three types above are all there are.
      default -> throw new AssertionError(config.identity().type());
    }
    RefreshCoordinator coordinator = redis == null
        ? new LocalRefreshCoordinator(provider::refresh, config.refresh().grace(), clock, metrics)
        : new RedisRefreshCoordinator(redis, vertx, sealer, provider::refresh, config.refresh().grace(),
            config.refresh().timeout(), clock, metrics);
    this.relay = new TokenRelay(coordinator, config.refresh().before(), config.refresh().grace(), clock);
    this.refreshFailures = new RefreshFailures(sessions, config.login().page());
    this.clients = new ClientAddress(config.trustedProxies());
    ApiKeyGuard apiKeys = builtin == null ? null
        : new ApiKeyGuard(builtin::verifyApiKey, clients, perIp("api-key-failures", config.limits().codes()));
    MailedLoginGuard mailedLogins = builtin == null ? null
        : new MailedLoginGuard(builtin, sessions, clients, perIp("link-failures", config.limits().codes()),
            limiter("wrong-codes", config.limits().codes()),
            config.login().page());
    this.guards = new Guards(sessions, relay, refreshFailures, apiKeys, mailedLogins);
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout(5_000)
            .setMaxHeaderSize(64 * 1024)
            .setDecompressionSupported(false),
        new PoolOptions().setHttp1MaxSize(128));
    this.webSocketClient = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5_000)
        .setMaxConnections(WebSocketProxy.MAX_CONNECTIONS_PER_UPSTREAM)
        .setMaxFrameSize(WebSocketProxy.MAX_FRAME_BYTES).setMaxMessageSize(WebSocketProxy.MAX_FRAME_BYTES));
  }

  public static Vestibule create(Vertx vertx, VestibuleConfig config) throws ConfigException {
    return create(vertx, config, Clock.systemUTC(), new GatewayMetrics());
  }

  public static Vestibule create(Vertx vertx, VestibuleConfig config, Clock clock, GatewayMetrics metrics)
      throws ConfigException {
    return new Vestibule(vertx, config, clock, metrics);
  }

  /** Builds from YAML in the gateway's config format (SPEC §2); {@code routes} may be left out. */
  public static Vestibule fromYaml(Vertx vertx, String yaml, Map<String, String> env) throws ConfigException {
    return create(vertx, ConfigLoader.parse(yaml, env));
  }

  public Sessions sessions() {
    return sessions;
  }

  public Guards guards() {
    return guards;
  }

  public TokenRelay relay() {
    return relay;
  }

  public VestibuleConfig config() {
    return config;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Tells the client's address from a request, honouring {@code trustedProxies}: the key for rate limits. */
  public ClientAddress clientAddress() {
    return clients;
  }

  /**
   * Mounts {@code POST /auth/login}, {@code GET /auth/session} and {@code POST /auth/logout}, and with the
   * built-in identity its registration, password reset, magic link, MFA, API-key management and OAuth2 endpoints
   * (SPEC §3, §7). Ahead of them, and of every route mounted later, the request's session is read (from Redis
   * too, when it is there).
   */
  public void mountAuthEndpoints(Router router) {
    router.route().handler(sessions.loader());
    // Every /auth endpoint reads or writes the session: when Redis could not give it, they answer 503 at once.
    router.route("/auth/*").handler(sessions.requireLoaded());
    LoginBudget logins = new LoginBudget(limiter("login-ip", config.limits().login()),
        limiter("login-account", config.limits().login()));
    if (oidc != null) oidc.mount(router, sessions); // first: its POST /auth/login (405) wins over the password login
    new SessionEndpoints(authenticator, sessions, clients, logins).mount(router);
    if (builtin != null) {
      String publicUrl = config.publicUrl().toString();
      MailBudget mails = new MailBudget(perIp("mails-ip", config.limits().codes(), MAIL_ACCOUNTS_PER_IP),
          limiter("mails-mailbox", config.limits().codes()));
      new IdentityEndpoints(builtin, sessions, clients, new IdentityEndpoints.Limits(limiter("register-ip",
          config.limits().register()), perIp("codes-ip", config.limits().codes()), mails, logins),
          publicUrl, clock).mount(router);
      new MailedLoginEndpoints(builtin, sessions, guards, clients, mails, publicUrl).mount(router);
      new ApiKeyEndpoints(builtin, guards, clock, config.identity().apiKeyMaxPrivilege()).mount(router);
    }
  }

  /** The built-in identity, when {@code identity.type} is builtin. */
  public Optional<BuiltinIdentity> builtinIdentity() {
    return Optional.ofNullable(builtin);
  }

  @Override
  public void close() {
    if (builtin != null) builtin.close();
    if (redis != null) redis.close();
  }

  /** A client for one upstream API, called with the request's user token; 30 s timeout. */
  public UpstreamClient upstream(URI base) {
    return upstream(base, Duration.ofSeconds(30));
  }

  public UpstreamClient upstream(URI base, Duration timeout) {
    return new UpstreamClient(base, client, sessions, relay, timeout);
  }

  /**
   * Answers failed requests: refresh failures end the session and send the user to login (or 503 while the
   * provider is down), a {@link ProblemException} as it says, anything else 500.
   */
  public Handler<RoutingContext> failureHandler() {
    Handler<RoutingContext> problems = Problems.failureHandler();
    return ctx -> {
      if (ctx.failure() != null && refreshFailures.handle(ctx, ctx.failure())) return;
      problems.handle(ctx);
    };
  }

  /** The handler of a configured gateway route: its guards around the proxy or the static files. */
  public Handler<RoutingContext> route(RouteConfig route, Handler<RoutingContext> staticFiles) throws ConfigException {
    Handler<RoutingContext> handler;
    if (route.isStatic()) {
      handler = staticFiles;
    } else {
      ProxyHandler proxy = new ProxyHandler(route, client, webSocketClient, sessions, relay, clients, refreshFailures,
          metrics, config.publicUrl());
      handler = route.dedupe()
          ? guards.byteLimit(route.maxBodyBytes(), Set.of(), guards.deduplicated(proxy::reply))
          : guards.declaredLimit(route.maxBodyBytes(), proxy);
    }
    if (route.csrf()) handler = guards.csrf(handler);
    return switch (route.auth().mode()) {
      case REQUIRED -> guards.authenticated(handler);
      case OPTIONAL -> guards.optional(handler);
      case NONE -> handler;
      case API_KEY -> {
        if (builtin == null) throw new ConfigException("routes", "auth apiKey needs identity.type builtin");
        yield guards.apiKey(route.auth().privilege().orElseThrow(), handler);
      }
    };
  }

  private TokenEndpoint oauth2(IdentityConfig identity) {
    OAuth2Provider provider = new OAuth2Provider(identity.tokenEndpoint(), identity.revocationEndpoint(),
        identity.userinfoEndpoint(), identity.clientId(), identity.clientSecret(),
        identity.clientAuth() == ClientAuth.POST ? OAuth2Provider.ClientAuthentication.POST
            : OAuth2Provider.ClientAuthentication.BASIC,
        config.refresh().timeout());
    return new OAuth2Client(provider, clock);
  }

  private static void rememberPasswordResets(BuiltinIdentity identity, Sessions sessions, Duration maxAge,
      Clock clock) {
    identity.service().passwordsResetSince(clock.instant().minus(maxAge)).forEach(sessions::endUser);
  }

  /** Counts in this instance's memory, or in Redis under {@code name} when the instances share one. */
  private RateLimiter limiter(String name, RateLimit limit) {
    return redis == null ? new LocalRateLimiter(limit.permits(), limit.window(), clock)
        : new RedisRateLimiter(redis, name, limit.permits(), limit.window());
  }

  /**
   * {@code limits.codes} counts per account; one client address (an office, a NAT) speaks for many accounts, so
   * its budget for code, link and key checks is {@value #CODES_ACCOUNTS_PER_IP} accounts' worth.
   */
  private RateLimiter perIp(String name, RateLimit perAccount) {
    return perIp(name, perAccount, CODES_ACCOUNTS_PER_IP);
  }

  private RateLimiter perIp(String name, RateLimit perAccount, int accounts) {
    return limiter(name, new RateLimit(perAccount.permits() * accounts, perAccount.window()));
  }
}
