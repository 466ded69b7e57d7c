package dev.vestibule.demo;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The embedded default's demo API, a separate HTTP server that trusts nothing but a valid bearer token:
 * {@code GET /v1/me}, {@code GET|POST /v1/notes}, {@code DELETE /v1/notes/{id}} and {@code GET /v1/users}.
 */
public final class DemoApi {
  private static final String CLAIMS = "demo.claims";

  private final Supplier<BearerVerifier> verifier;
  private final NotesStore notes;
  private final Supplier<List<Map<String, Object>>> users;

  private DemoApi(Supplier<BearerVerifier> verifier, NotesStore notes, Supplier<List<Map<String, Object>>> users) {
    this.verifier = verifier;
    this.notes = notes;
    this.users = users;
  }

  /**
   * Starts on a free loopback port. {@code jwks} is asked for at the first request, so the API can start
   * before the gateway that publishes the keys.
   */
  public static Future<HttpServer> start(Vertx vertx, Supplier<URI> jwks, String issuer, String audience,
      Path notesFile, Supplier<List<Map<String, Object>>> users) {
    Supplier<BearerVerifier> verifier = new Supplier<>() {
      private volatile BearerVerifier created;

      @Override
      public BearerVerifier get() {
        if (created == null) {
          synchronized (this) {
            if (created == null) created = new BearerVerifier(jwks.get(), issuer, audience);
          }
        }
        return created;
      }
    };
    DemoApi api = new DemoApi(verifier, new NotesStore(notesFile), users);
    return vertx.createHttpServer().requestHandler(api.router(vertx)).listen(0, "127.0.0.1");
  }

  private Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route("/v1/*").handler(this::authenticate);
    router.get("/v1/me").handler(ctx -> ctx.json(claims(ctx).toJSONObject()));
    router.get("/v1/users").handler(ctx -> ctx.vertx().executeBlocking(users::get)
        .onSuccess(list -> ctx.json(new JsonObject().put("users", list)))
        .onFailure(ctx::fail));
    router.get("/v1/notes").handler(ctx -> ctx.vertx().executeBlocking(() -> notes.list(claims(ctx).getSubject()))
        .onSuccess(list -> ctx.json(new JsonObject().put("notes", list)))
        .onFailure(ctx::fail));
    router.post("/v1/notes").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::addNote);
    router.delete("/v1/notes/:id").handler(ctx -> ctx.vertx()
        .executeBlocking(() -> notes.delete(claims(ctx).getSubject(), ctx.pathParam("id")))
        .onSuccess(removed -> ctx.response().setStatusCode(removed ? 204 : 404).end())
        .onFailure(ctx::fail));
    return router;
  }

  private void authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      refuse(ctx);
      return;
    }
    ctx.request().pause();
    ctx.vertx().executeBlocking(() -> verifier.get().verify(authorization.substring(7))).onComplete(ar -> {
      Optional<JWTClaimsSet> claims = ar.succeeded() ? ar.result() : Optional.empty();
      if (claims.isEmpty()) {
        refuse(ctx);
        return;
      }
      ctx.put(CLAIMS, claims.get());
      ctx.request().resume();
      ctx.next();
    });
  }

  private void addNote(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String text = body == null ? null : body.getString("text");
    if (text == null || text.isBlank() || text.length() > 500) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json")
          .end(new JsonObject().put("type", "about:blank").put("title", "Bad request").put("status", 400)
              .put("detail", "Send {\"text\": \"...\"} with 1 to 500 characters.").encode());
      return;
    }
    ctx.vertx().executeBlocking(() -> notes.add(claims(ctx).getSubject(), text.strip()))
        .onSuccess(note -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(note.encode()))
        .onFailure(ctx::fail);
  }

  private static JWTClaimsSet claims(RoutingContext ctx) {
    return ctx.get(CLAIMS);
  }

  private static void refuse(RoutingContext ctx) {
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").end();
  }
}
