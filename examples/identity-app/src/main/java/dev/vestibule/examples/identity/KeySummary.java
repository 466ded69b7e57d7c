package dev.vestibule.examples.identity;

import dev.vestibule.builtin.BuiltinIdentity;
import dev.vestibule.guard.Verified;
import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /account/keys/summary}, a key action of the app's own next to the built-in {@code /auth/api-keys/*}:
 * how many keys the logged-in user holds, by privilege. The owner comes from the session, never from the body.
 */
final class KeySummary implements Handler<RoutingContext> {
  private final BuiltinIdentity identity;
  private final Clock clock;

  KeySummary(BuiltinIdentity identity, Clock clock) {
    this.identity = identity;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = Verified.of(ctx).userId().orElse(null);
    if (userId == null) {
      Problem.unauthorized("This session has no user of the built-in identity.").send(ctx.response());
      return;
    }
    // A database read: on the identity's own threads, never on the event loop.
    Future.fromCompletionStage(identity.async(() -> identity.service().apiKeys(userId)), ctx.vertx().getOrCreateContext())
        .onSuccess(keys -> JsonBodies.send(ctx, 200, summary(keys, clock.instant())))
        .onFailure(ctx::fail);
  }

  private static JsonObject summary(List<ApiKey> keys, Instant now) {
    JsonObject byPrivilege = new JsonObject();
    for (Privilege privilege : Privilege.values()) {
      byPrivilege.put(privilege.label(), keys.stream().filter(key -> key.privilege() == privilege).count());
    }
    return new JsonObject()
        .put("keys", keys.size())
        .put("expired", keys.stream().filter(key -> key.expired(now)).count())
        .put("neverUsed", keys.stream().filter(key -> key.lastUsedAt().isEmpty()).count())
        .put("byPrivilege", byPrivilege);
  }
}
