package dev.vestibule.proxy;

import dev.vestibule.guard.Reply;
import dev.vestibule.guard.Verified;
import dev.vestibule.relay.TokenRelay;
import dev.vestibule.relay.UpstreamCall;
import dev.vestibule.session.Session;
import dev.vestibule.web.Problem;
import dev.vestibule.web.ProblemException;
import dev.vestibule.web.Sessions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Calls one upstream API on behalf of the request's user: adds the session's access token, refreshes it
 * when about to expire, refreshes once and retries once after a 401, and stores refreshed tokens in the
 * session so the response carries the new cookie. For handlers that serve their own routes, for example
 * one that aggregates several calls:
 *
 * <pre>{@code
 * UpstreamClient orders = vestibule.upstream(URI.create("http://orders.internal/v1"));
 * router.get("/api/dashboard").handler(guards.authenticated(ctx ->
 *     Future.all(orders.get(ctx, "/recent"), orders.get(ctx, "/stats"))
 *         .map(all -> Reply.json(200, new JsonObject()
 *             .put("recent", all.<Reply>resultAt(0).json())
 *             .put("stats", all.<Reply>resultAt(1).json())))
 *         .onSuccess(reply -> reply.send(ctx.response()))
 *         .onFailure(ctx::fail)));
 * }</pre>
 *
 * A rejected refresh fails the future with the refresh failure; {@code vestibule.failureHandler()} ends the
 * session and answers 401 (or 302 for a page), and 503 while the provider is down.
 */
public final class UpstreamClient {
  private final URI base;
  private final HttpClient client;
  private final Sessions sessions;
  private final TokenRelay relay;
  private final Duration timeout;

  public UpstreamClient(URI base, HttpClient client, Sessions sessions, TokenRelay relay, Duration timeout) {
    this.base = base;
    this.client = client;
    this.sessions = sessions;
    this.relay = relay;
    this.timeout = timeout;
  }

  public Future<Reply> get(RoutingContext ctx, String path) {
    return send(ctx, HttpMethod.GET, path, null, HttpHeaders.headers());
  }

  public Future<Reply> send(RoutingContext ctx, HttpMethod method, String path, Buffer body, MultiMap headers) {
    Optional<Session> session = Verified.of(ctx).session().or(() -> sessions.get(ctx));
    if (session.isEmpty()) {
      return Future.failedFuture(new ProblemException(Problem.unauthorized("This call needs a logged-in session.")));
    }
    Context context = ctx.vertx().getOrCreateContext();
    Call call = new Call(context, method, path, body, headers);
    return Future.fromCompletionStage(relay.send(session.get().tokens(), call), context).map(relayed -> {
      if (relayed.refreshed()) {
        Session renewed = session.get().withTokens(relayed.tokens());
        sessions.replace(ctx, renewed);
      }
      return relayed.response();
    });
  }

  private final class Call implements UpstreamCall<Reply> {
    private final Context context;
    private final HttpMethod method;
    private final String path;
    private final Buffer body;
    private final MultiMap headers;

    Call(Context context, HttpMethod method, String path, Buffer body, MultiMap headers) {
      this.context = context;
      this.method = method;
      this.path = path;
      this.body = body;
      this.headers = headers;
    }

    @Override
    public CompletionStage<Reply> send(String accessToken, int attempt) {
      Promise<Reply> promise = Promise.promise();
      if (Vertx.currentContext() == context) {
        attempt(accessToken).onComplete(promise);
      } else {
        context.runOnContext(v -> attempt(accessToken).onComplete(promise));
      }
      return promise.future().toCompletionStage();
    }

    @Override
    public int status(Reply reply) {
      return reply.status();
    }

    private Future<Reply> attempt(String accessToken) {
      MultiMap out = HttpHeaders.headers().addAll(headers).set("Authorization", "Bearer " + accessToken);
      String basePath = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
      RequestOptions options = new RequestOptions()
          .setMethod(method)
          .setHost(base.getHost())
          .setPort(base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80)
          .setSsl("https".equals(base.getScheme()))
          .setURI(basePath + path)
          .setHeaders(out)
          .setTimeout(timeout.toMillis());
      return client.request(options)
          .compose(request -> body == null ? request.send() : request.send(body))
          .compose(response -> response.body().map(received ->
              new Reply(response.statusCode(), contentHeaders(response.headers()), received)));
    }
  }

  private static MultiMap contentHeaders(MultiMap upstream) {
    MultiMap kept = HttpHeaders.headers();
    for (String name : new String[] {"Content-Type", "Cache-Control", "ETag", "Last-Modified"}) {
      String value = upstream.get(name);
      if (value != null) kept.set(name, value);
    }
    return kept;
  }
}
