package dev.vestibule.guard;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** A complete response held in memory, so that several requests can be answered with it. */
public record Reply(int status, MultiMap headers, Buffer body) {
  public static Reply json(int status, Object json) {
    String encoded = json instanceof JsonObject object ? object.encode() : io.vertx.core.json.Json.encode(json);
    return new Reply(status, HttpHeaders.headers().add("Content-Type", "application/json"), Buffer.buffer(encoded));
  }

  /** The body as a JSON object (for aggregating upstream answers). */
  public JsonObject json() {
    return body.length() == 0 ? new JsonObject() : new JsonObject(body);
  }

  /** Writes this reply to {@code response}. */
  public Future<Void> send(HttpServerResponse response) {
    response.setStatusCode(status);
    headers.forEach(header -> response.headers().add(header.getKey(), header.getValue()));
    return response.end(body);
  }

  /** A handler that answers with a reply instead of writing the response itself. */
  @FunctionalInterface
  public interface Handler {
    Future<Reply> handle(io.vertx.ext.web.RoutingContext ctx);
  }
}
