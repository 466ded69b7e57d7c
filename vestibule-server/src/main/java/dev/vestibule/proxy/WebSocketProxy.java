package dev.vestibule.proxy;

import dev.vestibule.relay.Relayed;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.relay.UpstreamCall;
import dev.vestibule.session.Session;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * they come, with back-pressure; a close on either side closes the other, and the login's end closes both.
 */
final class WebSocketProxy {
  private static final int UNAUTHORIZED = 401;
  // Close codes that name a state, not something to send (RFC 6455 §7.4.1).
  private static final List<Integer> NOT_SENDABLE = List.of(1005, 1006, 1015);

  private final WebSocketClient client;
  private final Sessions sessions;
  private final TokenRelay relay;
  private final URI publicUrl;
  private final Clock clock;

  WebSocketProxy(WebSocketClient client, Sessions sessions, TokenRelay relay, URI publicUrl, Clock clock) {
    this.client = client;
    this.sessions = sessions;
    this.relay = relay;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  static boolean isUpgrade(HttpServerRequest request) {
    return request.canUpgradeToWebSocket();
  }

  /**
   * @param target the upstream request, headers still to be added
   * @param timeoutMillis how long the upstream may take to accept (the route's timeout)
   * @param headersFor the upstream headers for an access token (null: none), without the client's handshake headers
   * @param failed answers a failure as for any proxied request (refresh rejected, provider or upstream unavailable)
   */
  void handle(RoutingContext ctx, Optional<Session> session, WebSocketConnectOptions target, long timeoutMillis,
      Function<String, MultiMap> headersFor, BiConsumer<RoutingContext, Throwable> failed) {
    HttpServerRequest request = ctx.request();
    // A browser sends its cookies with any site's handshake: Origin tells which page opened it (CSWSH).
    if (session.isPresent() && !sameOrigin(request)) {
      Problem.forbidden("A WebSocket with this session may only be opened by a page of this site.").send(ctx.response());
      return;
    }
    List<String> subProtocols = subProtocols(request);
    Handshake handshake = new Handshake(ctx.vertx(), target, timeoutMillis, headersFor, subProtocols);
    CompletionStage<Relayed<Attempt>> connected = session.isEmpty()
        ? handshake.send(null, 1).thenApply(attempt -> new Relayed<>(attempt, null, false))
        : relay.send(session.get().tokens(), handshake);
    Future.fromCompletionStage(connected, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.failed()) {
        failed.accept(ctx, ar.cause());
        return;
      }
      Attempt attempt = ar.result().response();
      if (ar.result().refreshed()) sessions.replace(ctx, session.orElseThrow().withTokens(ar.result().tokens()));
      if (attempt.upstream == null) {
        Problem.of(attempt.status, "websocket-refused", "WebSocket refused",
            "The upstream refused the WebSocket (" + attempt.status + ").").send(ctx.response());
        return;
      }
      accept(ctx, attempt.upstream, session.map(Session::expiresAt));
    });
  }

  private void accept(RoutingContext ctx, WebSocket upstream, Optional<Instant> loginEnds) {
    String chosen = upstream.subProtocol();
    if (chosen != null && !chosen.isEmpty()) ctx.response().headers().set("Sec-WebSocket-Protocol", chosen);
    sessions.writeCookiesNow(ctx); // a 101 answer has no headers-end event of its own
    ctx.request().toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        upstream.close((short) 1011);
        return;
      }
      WebSocketBase browser = ar.result();
      long timer = loginEnds.map(at -> ctx.vertx().setTimer(
          Math.max(1, Duration.between(clock.instant(), at).toMillis()), id -> {
            browser.close((short) 1008, "session expired");
            upstream.close((short) 1001);
          })).orElse(-1L);
      Runnable closed = () -> ctx.vertx().cancelTimer(timer);
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
    String origin = request.getHeader("Origin");
    if (origin == null) return true; // not a browser: nothing ambient to hijack
    String authority;
    try {
      authority = URI.create(origin.strip()).getRawAuthority();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (authority == null) return false;
    String lower = authority.toLowerCase(Locale.ROOT);
    String host = request.getHeader("Host");
    return lower.equals(publicUrl.getRawAuthority().toLowerCase(Locale.ROOT))
        || (host != null && lower.equals(host.strip().toLowerCase(Locale.ROOT)));
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
