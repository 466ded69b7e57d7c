package dev.vestibule.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail. Every error Vestibule answers itself is one of these; none ever carries a
 * stack trace or a token.
 */
public record Problem(int status, String type, String title, String detail, Map<String, Object> extras) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    extras = extras == null ? Map.of() : Map.copyOf(extras);
  }

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, "urn:vestibule:problem:" + slug, title, detail, Map.of());
  }

  public Problem with(String member, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extras);
    more.put(member, value);
    return new Problem(status, type, title, detail, more);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    extras.forEach(json::put);
    return json;
  }

  /** Sends this problem unless the response has already started. */
  public void send(HttpServerResponse response) {
    if (response.headWritten() || response.ended() || response.closed()) return;
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).putHeader("Cache-Control", "no-store");
    response.end(toJson().encode());
  }

  public static Problem badRequest(String detail) {
    return of(400, "bad-request", "Bad request", detail);
  }

  public static Problem unauthorized(String detail) {
    return of(401, "unauthorized", "Unauthorized", detail);
  }

  public static Problem forbidden(String detail) {
    return of(403, "forbidden", "Forbidden", detail);
  }

  public static Problem notFound() {
    return of(404, "not-found", "Not found", "No route matches this path.");
  }

  public static Problem tooLarge(long limit) {
    return of(413, "payload-too-large", "Payload too large", "The request body exceeds " + limit + " bytes.")
        .with("maxBodyBytes", limit);
  }

  public static Problem tooManyRequests(long retryAfterSeconds) {
    return of(429, "too-many-requests", "Too many requests", "Too many attempts; retry after " + retryAfterSeconds + " s.")
        .with("retryAfter", retryAfterSeconds);
  }

  public static Problem internal() {
    return of(500, "internal", "Internal error", "The gateway failed to handle this request.");
  }
}
