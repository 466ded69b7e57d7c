package dev.vestibule.examples.relay;

import dev.vestibule.Vestibule;
import dev.vestibule.guard.Guards;
import dev.vestibule.guard.Reply;
import dev.vestibule.guard.Verified;
import dev.vestibule.proxy.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * An application that serves its own routes and calls an upstream API with the user's token, using the
 * Vestibule library alone. Not one line below deals with tokens, refreshes, retries or redirects.
 */
public final class RelayApp {
  /** The fifty resources of the upstream API, each with a generated read and create endpoint. */
  static final List<String> RESOURCES = IntStream.rangeClosed(1, 50).mapToObj(i -> "resource-" + i).toList();
  static final int MAX_JSON = 16 * 1024;

  private RelayApp() {}

  public static Router router(Vertx vertx, Vestibule vestibule, URI upstream) {
    Router router = Router.router(vertx);
    Guards guards = vestibule.guards();
    UpstreamClient api = vestibule.upstream(upstream);
    vestibule.mountAuthEndpoints(router);

    for (String resource : RESOURCES) {
      router.get("/api/" + resource).handler(guards.authenticated(ctx -> relay(ctx, api.get(ctx, "/" + resource))));
      router.post("/api/" + resource).handler(guards.authenticatedPost(guards.byteLimit(MAX_JSON, Set.of(), ctx ->
          relay(ctx, api.send(ctx, HttpMethod.POST, "/" + resource, Verified.of(ctx).body().orElse(null),
              HttpHeaders.headers().add("Content-Type", "application/json"))))));
    }

    // Two calls at once, one answer.
    router.get("/api/dashboard").handler(guards.authenticated(ctx ->
        relay(ctx, Future.all(api.get(ctx, "/resource-1"), api.get(ctx, "/resource-2")).map(both ->
            Reply.json(200, new JsonObject()
                .put("first", both.<Reply>resultAt(0).json())
                .put("second", both.<Reply>resultAt(1).json()))))));

    // One call that depends on another.
    router.get("/api/summary").handler(guards.authenticated(ctx ->
        relay(ctx, api.get(ctx, "/resource-3").compose(first -> api.get(ctx, "/resource-4").map(second ->
            Reply.json(200, new JsonObject()
                .put("user", Verified.of(ctx).user())
                .put("calls", 2)
                .put("statuses", List.of(first.status(), second.status()))))))));

    // Expensive report: identical concurrent requests of a session run once.
    router.post("/api/reports").handler(guards.authenticatedPost(guards.byteLimit(MAX_JSON, Set.of(),
        guards.deduplicated(ctx -> api.send(ctx, HttpMethod.POST, "/reports", Verified.of(ctx).body().orElse(null),
            HttpHeaders.headers().add("Content-Type", "application/json"))))));

    router.route().failureHandler(vestibule.failureHandler());
    return router;
  }

  private static void relay(RoutingContext ctx, Future<Reply> reply) {
    reply.onSuccess(r -> r.send(ctx.response())).onFailure(ctx::fail);
  }

  /** {@code java -cp ... RelayApp vestibule.yaml http://127.0.0.1:9001/v1 8081} */
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Vestibule vestibule = Vestibule.fromYaml(vertx, Files.readString(Path.of(args[0])), System.getenv());
    HttpServer server = vertx.createHttpServer()
        .requestHandler(router(vertx, vestibule, URI.create(args[1])))
        .listen(Integer.parseInt(args[2]), "127.0.0.1").await();
    System.out.println("relay app on http://127.0.0.1:" + server.actualPort());
  }
}
