package dev.vestibule.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;

/** JSON request and response bodies of Vestibule's own endpoints. */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * The request's JSON object, or empty after answering 415 (not {@code application/json}, which also keeps
   * cross-site forms out) or 400 (not a JSON object). Needs a BodyHandler in front.
   */
  public static Optional<JsonObject> read(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      Problem.of(415, "unsupported-media-type", "Unsupported media type", "Send the body as application/json.")
          .send(ctx.response());
      return Optional.empty();
    }
    try {
      Object parsed = ctx.body().asJsonObject();
      if (parsed instanceof JsonObject object) return Optional.of(object);
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    Problem.badRequest("The body is not a JSON object.").send(ctx.response());
    return Optional.empty();
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** A string member, or null when absent or not a string. */
  public static String string(JsonObject body, String name) {
    return body.getValue(name) instanceof String value ? value : null;
  }
}
