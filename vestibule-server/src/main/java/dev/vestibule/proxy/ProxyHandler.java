package dev.vestibule.proxy;

import dev.vestibule.config.RelayMode;
import dev.vestibule.config.RouteConfig;
import dev.vestibule.guard.Reply;
import dev.vestibule.guard.Verified;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.server.GatewayMetrics;
import dev.vestibule.session.Session;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.Problem;
import dev.vestibule.web.ProblemException;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a route's requests to its upstream with the session's access token, and streams the answer
 * back. Runs behind the route's guards, which have already checked the session, CSRF and the declared
 * body size.
 */
public final class ProxyHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  private final RouteConfig route;
  private final URI upstream;
  private final HttpClient client;
  private final Sessions sessions;
  private final TokenRelay relay;
  private final ClientAddress clients;
  private final RefreshFailures refreshFailures;
  private final GatewayMetrics metrics;
  private final Predicate<String> strippedCookie;
  private final WebSocketProxy webSockets;

  public ProxyHandler(RouteConfig route, HttpClient client, WebSocketClient webSocketClient, Sessions sessions,
      TokenRelay relay, ClientAddress clients, RefreshFailures refreshFailures, GatewayMetrics metrics, URI publicUrl) {
    this.webSockets = new WebSocketProxy(webSocketClient, sessions, relay, clients, publicUrl);
    this.route = route;
    this.upstream = route.upstream().orElseThrow();
    this.client = client;
    this.sessions = sessions;
    this.relay = relay;
    this.clients = clients;
    this.refreshFailures = refreshFailures;
    this.metrics = metrics;
    Optional<String> relayCookie = route.relay().cookieName();
    this.strippedCookie = name -> sessions.isOwnCookie(name) || relayCookie.map(name::equals).orElse(false);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (WebSocketProxy.isUpgrade(ctx.request())) {
      upgrade(ctx);
      return;
    }
    Forward forward = forward(ctx, null);
    if (forward == null) return;
    Timer.Sample started = metrics.startUpstream();
    send(ctx, forward)
        .onSuccess(response -> respond(ctx, response, started))
        .onFailure(failure -> fail(ctx, forward, failure));
  }

  /**
   * The upstream's whole answer as a reply, for routes whose identical concurrent requests share one
   * ({@code dedupe: true}); the body was read by the byteLimit guard in front.
   */
  public Future<Reply> reply(RoutingContext ctx) {
    Buffer body = Verified.of(ctx).body().orElse(Buffer.buffer());
    Forward forward = forward(ctx, body);
    if (forward == null) return Future.failedFuture(new ProblemException(Problem.badRequest("Unsafe path.")));
    Timer.Sample started = metrics.startUpstream();
    return send(ctx, forward)
        .compose(response -> {
          metrics.stopUpstream(started, route.path());
          Future<Buffer> answer = response.body();
          response.resume();
          return answer.map(received -> {
            MultiMap headers = HttpHeaders.headers();
            ProxyHeaders.toClient(response.headers(), headers, strippedCookie);
            headers.remove("Content-Length");
            return new Reply(response.statusCode(), headers, received);
          });
        })
        .recover(failure -> RefreshFailures.unwrap(failure) instanceof UpstreamFailure upstreamFailure
            ? Future.failedFuture(new ProblemException(problemFor(upstreamFailure)))
            : Future.failedFuture(failure));
  }

  /** The request prepared for its upstream, or null after answering 400 for an unsafe path. */
  private Forward forward(RoutingContext ctx, Buffer preread) {
    HttpServerRequest request = ctx.request();
    String path = upstreamPath(ctx);
    if (path == null) return null;
    RequestOptions target = aimed(new RequestOptions(), path)
        .setMethod(request.method())
        .setIdleTimeout(route.timeout().toMillis());
    boolean retryable = session(ctx).flatMap(s -> s.tokens().refreshToken()).isPresent();
    return new Forward(request, ctx.vertx().getOrCreateContext(), client, target, token -> headersFor(ctx, token),
        route.maxBodyBytes(), route.timeout().toMillis(), retryable, preread);
  }

  private void upgrade(RoutingContext ctx) {
    String path = upstreamPath(ctx);
    if (path == null) return;
    webSockets.handle(ctx, login(ctx), route.relay().mode() != RelayMode.NONE,
        aimed(new WebSocketConnectOptions(), path), route.timeout().toMillis(), token -> headersFor(ctx, token),
        this::failUpgrade);
  }

  /** The request's path and query at the upstream (the request paused), or null after answering 400 for an unsafe path. */
  private String upstreamPath(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    try {
      return UpstreamPath.resolve(route, basePath(), request.uri());
    } catch (UpstreamPath.UnsafePath e) {
      Problem.badRequest(e.getMessage()).send(ctx.response());
      return null;
    }
  }

  private <T extends RequestOptions> T aimed(T options, String path) {
    options.setHost(upstream.getHost());
    options.setPort(port(upstream));
    options.setSsl("https".equals(upstream.getScheme()));
    options.setURI(path);
    return options;
  }

  private void failUpgrade(RoutingContext ctx, Throwable failure) {
    if (refreshFailures.handle(ctx, failure)) return;
    if (RefreshFailures.unwrap(failure) instanceof UpstreamFailure upstreamFailure) {
      problemFor(upstreamFailure).send(ctx.response());
    } else {
      LOG.error("a WebSocket upgrade on {} failed: {}", route.path(), failure.getClass().getName());
      Problem.internal().send(ctx.response());
    }
  }

  private Future<HttpClientResponse> send(RoutingContext ctx, Forward forward) {
    Context context = ctx.vertx().getOrCreateContext();
    Optional<Session> session = session(ctx);
    if (session.isEmpty()) return Future.fromCompletionStage(forward.send(null, 1), context);
    Session current = session.get();
    return Future.fromCompletionStage(relay.send(current.tokens(), forward), context).map(relayed -> {
      if (relayed.refreshed()) sessions.replace(ctx, current.withTokens(relayed.tokens()));
      return relayed.response();
    });
  }

  /** The session whose token goes upstream, if the route relays one. */
  private Optional<Session> session(RoutingContext ctx) {
    return route.relay().mode() == RelayMode.NONE ? Optional.empty() : login(ctx);
  }

  /** The session the route's guard accepted the request with, if the route has session auth. */
  private Optional<Session> login(RoutingContext ctx) {
    // A route without session auth has no CSRF check and may be anyone's API: it never gets a user's token.
    if (!route.auth().usesSession()) return Optional.empty();
    return Verified.of(ctx).session().or(() -> sessions.get(ctx));
  }

  private MultiMap headersFor(RoutingContext ctx, String accessToken) {
    MultiMap headers = headersFor(ctx.request(), accessToken);
    Verified.of(ctx).apiKey().ifPresent(key -> ProxyHeaders.apiKey(headers, key));
    return headers;
  }

  private MultiMap headersFor(HttpServerRequest request, String accessToken) {
    String authorization = null;
    String cookie = null;
    if (accessToken != null) {
      switch (route.relay().mode()) {
        case BEARER -> authorization = "Bearer " + accessToken;
        case COOKIE -> cookie = route.relay().cookieName().orElseThrow() + "=" + accessToken;
        case NONE -> { }
      }
    }
    return ProxyHeaders.toUpstream(request, clients, strippedCookie, authorization, cookie);
  }

  private void respond(RoutingContext ctx, HttpClientResponse upstreamResponse, Timer.Sample started) {
    metrics.stopUpstream(started, route.path());
    HttpServerResponse response = ctx.response();
    // A client that went away mid-request is routine: the upstream exchange is dropped without noise.
    upstreamResponse.exceptionHandler(failure -> { });
    if (response.closed()) {
      upstreamResponse.request().reset();
      return;
    }
    response.setStatusCode(upstreamResponse.statusCode());
    ProxyHeaders.toClient(upstreamResponse.headers(), response.headers(), strippedCookie);
    if (!response.headers().contains("Content-Length") && hasBody(ctx.request().method(), upstreamResponse.statusCode())) {
      response.setChunked(true);
    }
    response.closeHandler(v -> upstreamResponse.request().reset());
    upstreamResponse.pipe().endOnFailure(false).to(response).onFailure(failure -> {
      upstreamResponse.request().reset();
      response.reset();
    });
  }

  private void fail(RoutingContext ctx, Forward forward, Throwable failure) {
    if (forward.bodyTooLarge()) {
      ctx.response().putHeader("Connection", "close");
      Problem.tooLarge(route.maxBodyBytes()).send(ctx.response());
      return;
    }
    if (refreshFailures.handle(ctx, failure)) return;
    Problem problem;
    // Failures of a session's call come wrapped by the relay's CompletionStage.
    if (RefreshFailures.unwrap(failure) instanceof UpstreamFailure upstreamFailure) {
      problem = problemFor(upstreamFailure);
    } else {
      LOG.error("proxying {} failed: {}", route.path(), failure.getClass().getName());
      problem = Problem.internal();
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
    } else {
      problem.send(ctx.response());
    }
  }

  private Problem problemFor(UpstreamFailure failure) {
    return switch (failure.kind) {
      case TIMEOUT -> Problem.of(504, "upstream-timeout", "Gateway timeout",
          "The upstream did not answer within " + route.timeout().toMillis() + " ms.");
      case BODY_TOO_LARGE -> Problem.tooLarge(route.maxBodyBytes());
      case UNREACHABLE -> Problem.of(502, "upstream-unreachable", "Bad gateway", "The upstream could not be reached.");
    };
  }

  private String basePath() {
    String path = upstream.getRawPath();
    return path == null || path.equals("/") ? "" : path;
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) return uri.getPort();
    return "https".equals(uri.getScheme()) ? 443 : 80;
  }

  private static boolean hasBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
