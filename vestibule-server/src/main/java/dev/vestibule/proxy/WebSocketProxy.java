package dev.vestibule.proxy;

import dev.vestibule.relay.Relayed;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.relay.UpstreamCall;
import dev.vestibule.session.Session;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.Problem;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A route's WebSocket upgrades: the upstream handshake gets the session's token like any proxied request (refreshed
 * before it expires, refreshed and retried once after a 401), and only once the upstream has accepted is the client
 * upgraded, with any refreshed session cookie and the subprotocol the upstream chose. Frames then pass both ways as
 * they come, with back-pressure; a close on either side closes the other, and so does the login's end (expiry,
 * logout, password reset), noticed within {@link #LOGIN_CHECK_EVERY}.
 */
public final class WebSocketProxy {
  /** The largest frame either side may send: browsers send a whole message as one frame. */
  public static final int MAX_FRAME_BYTES = 1024 * 1024;
  /** Open WebSockets per upstream (host and port). */
  public static final int MAX_CONNECTIONS_PER_UPSTREAM = 65_536;
  static final Duration LOGIN_CHECK_EVERY = Duration.ofSeconds(5);
  // Close codes that name a state, not something to send (RFC 6455 §7.4.1).
  private static final List<Integer> NOT_SENDABLE = List.of(1005, 1006, 1015);
  private static final short POLICY_VIOLATION = 1008;

  private final WebSocketClient client;
  private final Sessions sessions;
  private final TokenRelay relay;
  private final ClientAddress clients;
  private final Optional<String> publicOrigin;

  WebSocketProxy(WebSocketClient client, Sessions sessions, TokenRelay relay, ClientAddress clients, URI publicUrl) {
    this.client = client;
    this.sessions = sessions;
    this.relay = relay;
    this.clients = clients;
    this.publicOrigin = origin(publicUrl.getScheme(), publicUrl.getRawAuthority());
  }

  static boolean isUpgrade(HttpServerRequest request) {
    return request.canUpgradeToWebSocket();
  }

  /**
   * @param login the session the route's guard accepted the request with, if any: it binds the WebSocket's origin and
   *     lifetime
   * @param relayToken whether the upstream gets the session's access token
   * @param target the upstream request, headers still to be added
   * @param timeoutMillis how long the upstream may take to accept (the route's timeout)
   * @param headersFor the upstream headers for an access token (null: none), without the client's handshake headers
   * @param failed answers a failure as for any proxied request (refresh rejected, provider or upstream unavailable)
   */
  void handle(RoutingContext ctx, Optional<Session> login, boolean relayToken, WebSocketConnectOptions target,
      long timeoutMillis, Function<String, MultiMap> headersFor, BiConsumer<RoutingContext, Throwable> failed) {
    HttpServerRequest request = ctx.request();
    // A browser sends its cookies with any same-site page's handshake: Origin tells which page opened it (CSWSH).
    if (login.isPresent() && !sameOrigin(request)) {
      Problem.forbidden("A WebSocket with this session may only be opened by a page of this site.").send(ctx.response());
      return;
    }
    Handshake handshake = new Handshake(ctx.vertx(), target, timeoutMillis, headersFor, subProtocols(request));
    Optional<Session> relayed = relayToken ? login : Optional.empty();
    CompletionStage<Relayed<Attempt>> connected = relayed.isEmpty()
        ? handshake.send(null, 1).thenApply(attempt -> new Relayed<>(attempt, null, false))
        : relay.send(relayed.get().tokens(), handshake);
    Future.fromCompletionStage(connected, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.failed()) {
        failed.accept(ctx, ar.cause());
        return;
      }
      Attempt attempt = ar.result().response();
      if (ar.result().refreshed()) sessions.replace(ctx, relayed.orElseThrow().withTokens(ar.result().tokens()));
      if (attempt.upstream == null) {
        // A refusal that is no error (a redirect, a 200) is no answer to give a WebSocket client.
        int status = attempt.status >= 400 ? attempt.status : 502;
        Problem.of(status, "websocket-refused", "WebSocket refused",
            "The upstream refused the WebSocket (" + attempt.status + ").").send(ctx.response());
        return;
      }
      try {
        accept(ctx, attempt.upstream, login);
      } catch (RuntimeException e) {
        attempt.upstream.close((short) 1011);
        failed.accept(ctx, e);
      }
    });
  }

  private void accept(RoutingContext ctx, WebSocket upstream, Optional<Session> login) {
    String chosen = upstream.subProtocol();
    if (chosen != null && !chosen.isEmpty()) ctx.response().headers().set("Sec-WebSocket-Protocol", chosen);
    sessions.writeCookiesNow(ctx); // a 101 answer has no headers-end event of its own
    ctx.request().toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        upstream.close((short) 1011);
        return;
      }
      WebSocketBase browser = ar.result();
      long watch = login.map(session -> ctx.vertx().setPeriodic(LOGIN_CHECK_EVERY.toMillis(), id ->
          sessions.stillOn(session, ctx.vertx().getOrCreateContext()).onSuccess(on -> {
            if (on) return;
            browser.close(POLICY_VIOLATION, "session ended");
            upstream.close((short) 1001);
          }))).orElse(-1L);
      Runnable closed = () -> ctx.vertx().cancelTimer(watch);
      splice(browser, upstream, closed);
      splice(upstream, browser, closed);
      upstream.resume();
    });
  }

  // Data frames only: each side answers its own pings, and closes travel through the close handlers.
  private static void splice(WebSocketBase from, WebSocketBase to, Runnable closed) {
    from.frameHandler(frame -> {
      if (!isData(frame) || to.isClosed()) return;
      to.writeFrame(frame);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
    from.closeHandler(v -> {
      closed.run();
      closeLike(from, to);
    });
    from.exceptionHandler(failure -> {
      if (!to.isClosed()) to.close((short) 1011);
    });
  }

  private static boolean isData(WebSocketFrame frame) {
    return frame.isText() || frame.isBinary() || frame.isContinuation();
  }

  private static void closeLike(WebSocketBase closed, WebSocketBase other) {
    if (other.isClosed()) return;
    Short code = closed.closeStatusCode();
    if (code == null || NOT_SENDABLE.contains((int) code)) {
      other.close((short) (code != null && code == 1006 ? 1011 : 1000));
    } else {
      other.close(code, closed.closeReason());
    }
  }

  private boolean sameOrigin(HttpServerRequest request) {
    String claimed = request.getHeader("Origin");
    if (claimed == null) return true; // not a browser: nothing ambient to hijack
    Optional<String> origin;
    try {
      URI uri = new URI(claimed.strip());
      origin = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
          ? origin(uri.getScheme(), uri.getRawAuthority()) : Optional.empty();
    } catch (URISyntaxException e) {
      return false;
    }
    if (origin.isEmpty()) return false;
    if (origin.equals(publicOrigin)) return true;
    // The request's own origin, as the client sees it: behind a trusted TLS proxy the scheme is the proxy's.
    String proto = request.getHeader("X-Forwarded-Proto");
    String scheme = proto != null && clients.isTrusted(peer(request)) ? proto.strip() : request.scheme();
    return origin.equals(origin(scheme, request.getHeader("Host")));
  }

  private static String peer(HttpServerRequest request) {
    return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
  }

  /** {@code scheme://host:port}, lower case, the default port written out; empty for what is no http(s) origin. */
  static Optional<String> origin(String scheme, String authority) {
    if (scheme == null || authority == null || authority.isBlank() || authority.contains("@")) return Optional.empty();
    String lowerScheme = scheme.toLowerCase(Locale.ROOT);
    int defaultPort = switch (lowerScheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
    if (defaultPort < 0) return Optional.empty();
    try {
      URI parsed = new URI(lowerScheme, authority.strip(), null, null, null);
      if (parsed.getHost() == null) return Optional.empty();
      int port = parsed.getPort() < 0 ? defaultPort : parsed.getPort();
      return Optional.of(lowerScheme + "://" + parsed.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static List<String> subProtocols(HttpServerRequest request) {
    List<String> protocols = new ArrayList<>();
    for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
      for (String protocol : header.split(",")) {
        if (!protocol.isBlank()) protocols.add(protocol.strip());
      }
    }
    return protocols;
  }

  /** The upstream handshake: accepted (a WebSocket) or refused with a status. */
  private record Attempt(WebSocket upstream, int status) {}

  private final class Handshake implements UpstreamCall<Attempt> {
    private final Vertx vertx;
    private final WebSocketConnectOptions target;
    private final long timeoutMillis;
    private final Function<String, MultiMap> headersFor;
    private final List<String> subProtocols;

    Handshake(Vertx vertx, WebSocketConnectOptions target, long timeoutMillis, Function<String, MultiMap> headersFor,
        List<String> subProtocols) {
      this.vertx = vertx;
      this.target = target;
      this.timeoutMillis = timeoutMillis;
      this.headersFor = headersFor;
      this.subProtocols = subProtocols;
    }

    @Override
    public CompletionStage<Attempt> send(String accessToken, int attempt) {
      MultiMap headers = HttpHeaders.headers();
      headersFor.apply(accessToken).forEach(header -> {
        if (!header.getKey().toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) headers.add(header.getKey(), header.getValue());
      });
      WebSocketConnectOptions options = new WebSocketConnectOptions(target).setHeaders(headers)
          .setSubProtocols(subProtocols);
      CompletableFuture<Attempt> result = new CompletableFuture<>();
      long timer = vertx.setTimer(timeoutMillis, id -> result.completeExceptionally(
          new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "upstream handshake timed out")));
      client.connect(options).onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          WebSocket upstream = ar.result();
          upstream.pause(); // nothing it sends may be lost before the client is upgraded and the two are joined
          if (!result.complete(new Attempt(upstream, 101))) upstream.close((short) 1001);
        } else if (ar.cause() instanceof UpgradeRejectedException rejected) {
          result.complete(new Attempt(null, rejected.getStatus()));
        } else {
          result.completeExceptionally(new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "upstream unreachable"));
        }
      });
      return result;
    }

    @Override
    public int status(Attempt attempt) {
      return attempt.upstream == null ? attempt.status : 101;
    }
  }
}
