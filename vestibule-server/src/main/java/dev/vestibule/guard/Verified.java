package dev.vestibule.guard;

import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.session.Session;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;

/**
 * What the guards in front of a handler verified, so the handler never repeats a check:
 *
 * <pre>{@code
 * guards.authenticatedPost(ctx -> {
 *   Verified v = Verified.of(ctx);
 *   String email = (String) v.user().get("email");
 *   JsonObject note = v.json().orElseThrow();
 *   ...
 * });
 * }</pre>
 */
public final class Verified {
  private static final String KEY = "vestibule.verified";

  private Session session;
  private ApiKey apiKey;
  private Buffer body;
  private JsonObject json;
  private String returnTo;

  private Verified() {}

  public static Verified of(RoutingContext ctx) {
    Verified verified = ctx.get(KEY);
    if (verified == null) {
      verified = new Verified();
      ctx.put(KEY, verified);
    }
    return verified;
  }

  /**
   * The session an {@code authenticated} or {@code optional} guard accepted, with fresh tokens, or the new login a
   * {@code magicLink} or {@code mfaCode} guard started.
   */
  public Optional<Session> session() {
    return Optional.ofNullable(session);
  }

  /** The logged-in user's public claims; empty for a guest. */
  public Map<String, Object> user() {
    return session == null ? Map.of() : session.user();
  }

  /** The logged-in user's id ({@code id}, else the {@code sub} claim); empty for a guest. */
  public Optional<String> userId() {
    Object id = user().get("id");
    if (!(id instanceof String)) id = user().get("sub");
    return id instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
  }

  /** The access token to call APIs with (never send it to the browser). */
  public Optional<String> accessToken() {
    return session == null ? Optional.empty() : Optional.of(session.tokens().accessToken());
  }

  /**
   * The key an {@code apiKey} guard accepted: its {@code tokenId}, owner ({@code userId}), privilege and the rest
   * of its metadata, never the key itself.
   */
  public Optional<ApiKey> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /** The request body a {@code byteLimit} guard read; empty when there was none. */
  public Optional<Buffer> body() {
    return Optional.ofNullable(body);
  }

  /** The body parsed as a JSON object by a {@code byteLimit} guard, when it was one. */
  public Optional<JsonObject> json() {
    return Optional.ofNullable(json);
  }

  /** Where the user of a {@code magicLink} guard's link asked to land: a same-origin path. */
  public Optional<String> returnTo() {
    return Optional.ofNullable(returnTo);
  }

  void session(Session session) {
    this.session = session;
  }

  void apiKey(ApiKey apiKey) {
    this.apiKey = apiKey;
  }

  void returnTo(String returnTo) {
    this.returnTo = returnTo;
  }

  void body(Buffer body, JsonObject json) {
    this.body = body;
    this.json = json;
  }
}
