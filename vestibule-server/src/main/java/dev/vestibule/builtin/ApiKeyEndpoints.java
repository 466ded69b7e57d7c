package dev.vestibule.builtin;

import dev.vestibule.guard.Guards;
import dev.vestibule.guard.Verified;
import dev.vestibule.identity.FieldError;
import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.identity.apikey.ApiKeyRequestException;
import dev.vestibule.identity.apikey.Ipv4Range;
import dev.vestibule.identity.apikey.IssuedApiKey;
import dev.vestibule.identity.apikey.KeyExpiry;
import dev.vestibule.identity.apikey.NewApiKey;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a logged-in user manages their API keys (SPEC §7). The client names a key by its {@code tokenId} alone;
 * the owner is always the session's user, so nobody reaches another user's keys. The raw key appears in exactly
 * two answers, {@code new-token} and {@code rotate}, and is never stored.
 */
public final class ApiKeyEndpoints {
  private final BuiltinIdentity identity;
  private final Guards guards;
  private final Clock clock;
  private final Privilege maxPrivilege;

  /** @param maxPrivilege the highest privilege a user may give a key ({@code identity.apiKeyMaxPrivilege}) */
  public ApiKeyEndpoints(BuiltinIdentity identity, Guards guards, Clock clock, Privilege maxPrivilege) {
    this.identity = identity;
    this.guards = guards;
    this.clock = clock;
    this.maxPrivilege = maxPrivilege;
  }

  public void mount(Router router) {
    router.get("/auth/api-keys").handler(guards.authenticated(ctx -> Requests.userId(ctx).ifPresent(userId ->
        blocking(ctx, () -> identity.service().apiKeys(userId)).onSuccess(keys -> {
          Instant now = clock.instant();
          JsonArray listed = new JsonArray();
          keys.forEach(key -> listed.add(metadata(key, now)));
          JsonBodies.send(ctx, 200, new JsonObject().put("keys", listed));
        }).onFailure(failure -> fail(ctx, failure)))));
    action(router, "new-token", this::create);
    action(router, "metadata", this::metadata);
    action(router, "revoke", this::revoke);
    action(router, "rotate", this::rotate);
    action(router, "ip-restriction-update", this::restrict);
    action(router, "privilege-update", this::changePrivilege);
  }

  private void action(Router router, String name, Action action) {
    router.route("/auth/api-keys/" + name).handler(guards.apiManagement(ctx -> {
      Optional<String> userId = Requests.userId(ctx);
      if (userId.isEmpty()) return;
      Optional<JsonObject> body = Requests.jsonBody(ctx, "{\"tokenId\": \"...\"}");
      if (body.isEmpty()) return;
      action.handle(ctx, userId.get(), new Fields(body.get()));
    }));
  }

  private void create(RoutingContext ctx, String userId, Fields fields) {
    String name = fields.string("name");
    String privilege = fields.string("privilege");
    String ipv4 = fields.string("ipv4");
    String expires = fields.string("expires");
    if (fields.refused(ctx)) return;
    NewApiKey request;
    try {
      request = NewApiKey.parse(name, privilege, ipv4, expires, clock.instant());
    } catch (ApiKeyRequestException e) {
      refused(ctx, e);
      return;
    }
    if (aboveMax(ctx, request.privilege())) return;
    blocking(ctx, () -> identity.service().createApiKey(userId, request))
        .onSuccess(issued -> JsonBodies.send(ctx, 201, issued(issued)))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void metadata(RoutingContext ctx, String userId, Fields fields) {
    String tokenId = fields.tokenId();
    if (fields.refused(ctx)) return;
    blocking(ctx, () -> identity.service().apiKey(userId, tokenId))
        .onSuccess(key -> found(ctx, key.map(k -> metadata(k, clock.instant()))))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void revoke(RoutingContext ctx, String userId, Fields fields) {
    String tokenId = fields.tokenId();
    if (fields.refused(ctx)) return;
    blocking(ctx, () -> identity.service().revokeApiKey(userId, tokenId)).onSuccess(revoked -> {
      if (revoked) ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
      else notFound(ctx);
    }).onFailure(failure -> fail(ctx, failure));
  }

  private void rotate(RoutingContext ctx, String userId, Fields fields) {
    String tokenId = fields.tokenId();
    Optional<Instant> expiresAt = fields.parsed("expires", text -> KeyExpiry.parse(text, clock.instant()), Optional.empty());
    if (fields.refused(ctx)) return;
    blocking(ctx, () -> identity.service().rotateApiKey(userId, tokenId, expiresAt))
        .onSuccess(issued -> found(ctx, issued.map(ApiKeyEndpoints::issued)))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void restrict(RoutingContext ctx, String userId, Fields fields) {
    String tokenId = fields.tokenId();
    Optional<Ipv4Range> ipv4 = fields.parsed("ipv4", NewApiKey::ipv4, Optional.empty());
    if (fields.refused(ctx)) return;
    blocking(ctx, () -> identity.service().restrictApiKey(userId, tokenId, ipv4))
        .onSuccess(key -> found(ctx, key.map(k -> metadata(k, clock.instant()))))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void changePrivilege(RoutingContext ctx, String userId, Fields fields) {
    String tokenId = fields.tokenId();
    Privilege privilege = fields.parsed("privilege", text -> Privilege.fromLabel(text).orElseThrow(() ->
        new IllegalArgumentException(NewApiKey.privilegeError().message())), null);
    if (fields.refused(ctx) || aboveMax(ctx, privilege)) return;
    blocking(ctx, () -> identity.service().changeApiKeyPrivilege(userId, tokenId, privilege))
        .onSuccess(key -> found(ctx, key.map(k -> metadata(k, clock.instant()))))
        .onFailure(failure -> fail(ctx, failure));
  }

  /** What a client may see of a key: never the key, its prefix or its owner's id. */
  static JsonObject metadata(ApiKey key, Instant now) {
    return new JsonObject()
        .put("tokenId", key.tokenId())
        .put("name", key.name())
        .put("privilege", key.privilege().label())
        .put("ipv4", key.ipv4().map(Ipv4Range::toString).orElse(null))
        .put("createdAt", key.createdAt().toString())
        .put("expiresAt", key.expiresAt().map(Instant::toString).orElse(null))
        .put("expired", key.expired(now))
        .put("rotatedAt", key.rotatedAt().map(Instant::toString).orElse(null))
        .put("lastUsedAt", key.lastUsedAt().map(Instant::toString).orElse(null))
        .put("usageCount", key.usageCount());
  }

  private static JsonObject issued(IssuedApiKey issued) {
    return new JsonObject()
        .put("rawApiKey", issued.rawKey())
        .put("expiresAt", issued.key().expiresAt().map(Instant::toString).orElse(null))
        .put("tokenId", issued.key().tokenId());
  }

  // Without a cap, any user who can register could give a key the privilege of the most protected route.
  private boolean aboveMax(RoutingContext ctx, Privilege requested) {
    if (maxPrivilege.atLeast(requested)) return false;
    Problem.forbidden("This gateway gives API keys at most the privilege '" + maxPrivilege.label() + "'.")
        .with("maxPrivilege", maxPrivilege.label()).send(ctx.response());
    return true;
  }

  private static void found(RoutingContext ctx, Optional<JsonObject> answer) {
    if (answer.isPresent()) JsonBodies.send(ctx, 200, answer.get());
    else notFound(ctx);
  }

  private static void notFound(RoutingContext ctx) {
    Problem.of(404, "api-key-not-found", "Not found", "You have no API key with this tokenId.").send(ctx.response());
  }

  private static void refused(RoutingContext ctx, ApiKeyRequestException e) {
    invalid(ctx, e.kind().status(), e.errors());
  }

  private static void invalid(RoutingContext ctx, int status, List<FieldError> errors) {
    JsonArray listed = new JsonArray();
    errors.forEach(error -> listed.add(new JsonObject().put("field", error.field()).put("message", error.message())));
    boolean conflict = status == 409;
    Problem.of(status, conflict ? "too-many-api-keys" : "invalid-api-key-request", conflict ? "Conflict" : "Bad request",
            conflict ? "You hold as many API keys as allowed." : "Some fields need another value.")
        .with("errors", listed)
        .send(ctx.response());
  }

  private <T> Future<T> blocking(RoutingContext ctx, Checked<T> work) {
    return Future.fromCompletionStage(identity.async(() -> {
      try {
        return work.get();
      } catch (ApiKeyRequestException e) {
        throw new Refused(e);
      }
    }), ctx.vertx().getOrCreateContext());
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    Throwable cause = RefreshFailures.unwrap(failure);
    if (cause instanceof Refused refused) {
      refused(ctx, refused.exception);
    } else if (cause instanceof ProviderUnavailableException) {
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(503, "identity-unavailable", "Service unavailable", "The identity service is busy; try again shortly.")
          .send(ctx.response());
    } else {
      ctx.fail(cause);
    }
  }

  /** The members of a request body, with an error for each one that is missing or of the wrong type. */
  private static final class Fields {
    final JsonObject body;
    final List<FieldError> errors = new ArrayList<>();

    Fields(JsonObject body) {
      this.body = body;
    }

    /** A string member; null when absent or null. */
    String string(String name) {
      Object value = body.getValue(name);
      if (value == null || value instanceof String) return (String) value;
      errors.add(new FieldError(name, "Give a string."));
      return null;
    }

    String tokenId() {
      Object value = body.getValue("tokenId");
      if (value instanceof String tokenId && !tokenId.isBlank()) return tokenId;
      errors.add(new FieldError("tokenId", "Name the key by its tokenId."));
      return null;
    }

    /** A string member read by {@code parser}, whose IllegalArgumentException becomes the field's error. */
    <T> T parsed(String name, Parser<T> parser, T whenBad) {
      int before = errors.size();
      String text = string(name);
      if (errors.size() > before) return whenBad;
      try {
        return parser.parse(text);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(name, e.getMessage()));
        return whenBad;
      }
    }

    /** Answers 400 with every error when there is one. */
    boolean refused(RoutingContext ctx) {
      if (errors.isEmpty()) return false;
      invalid(ctx, 400, errors);
      return true;
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(String text);
  }

  @FunctionalInterface
  private interface Action {
    void handle(RoutingContext ctx, String userId, Fields fields);
  }

  @FunctionalInterface
  private interface Checked<T> {
    T get() throws ApiKeyRequestException;
  }

  private static final class Refused extends RuntimeException {
    final ApiKeyRequestException exception;

    Refused(ApiKeyRequestException exception) {
      super(null, null, false, false);
      this.exception = exception;
    }
  }
}
