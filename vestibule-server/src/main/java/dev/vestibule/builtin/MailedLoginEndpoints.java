package dev.vestibule.builtin;

import dev.vestibule.guard.Guards;
import dev.vestibule.guard.Verified;
import dev.vestibule.session.Session;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.ReturnTo;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Logins by mail (SPEC §7): {@code POST /auth/magic-link} and its {@code GET /auth/magic-link/verify}, and the MFA
 * code step {@code POST /auth/mfa/verify} with its switch {@code POST /auth/mfa}. The two verifications are the
 * {@code magicLink} and {@code mfaCode} guards with a one-line handler, as an application would write them.
 */
public final class MailedLoginEndpoints {
  public static final String VERIFY_PATH = "/auth/magic-link/verify";
  private static final int MAX_BODY = 2048;

  private final BuiltinIdentity identity;
  private final Sessions sessions;
  private final Guards guards;
  private final ClientAddress clients;
  private final MailBudget mails;
  private final String verifyUrl;

  public MailedLoginEndpoints(BuiltinIdentity identity, Sessions sessions, Guards guards, ClientAddress clients,
      MailBudget mails, String publicUrl) {
    this.identity = identity;
    this.sessions = sessions;
    this.guards = guards;
    this.clients = clients;
    this.mails = mails;
    this.verifyUrl = publicUrl + VERIFY_PATH;
  }

  public void mount(Router router) {
    router.post("/auth/magic-link").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::requestLink);
    router.get(VERIFY_PATH).handler(guards.magicLink(ctx -> ctx.response().setStatusCode(302)
        .putHeader("Location", Verified.of(ctx).returnTo().orElse("/")).end()));
    router.post("/auth/mfa/verify").handler(guards.mfaCode(ctx -> JsonBodies.send(ctx, 200,
        new JsonObject().put("user", new JsonObject(Verified.of(ctx).user())))));
    router.post("/auth/mfa").handler(guards.authenticatedPost(guards.byteLimit(MAX_BODY, Set.of(), this::setMfa)));
  }

  private void requestLink(RoutingContext ctx) {
    if (!Requests.csrfOnceLoggedIn(sessions, ctx)) return;
    Optional<JsonObject> body = JsonBodies.read(ctx);
    if (body.isEmpty()) return;
    String email = JsonBodies.string(body.get(), "email");
    // Answered alike for every address and every returnTo; one that could lead off this site becomes "/".
    mails.spend(ctx, clients.limitKey(ctx.request()), "link", email, () ->
        identity.service().requestMagicLink(email, ReturnTo.orHome(JsonBodies.string(body.get(), "returnTo")), verifyUrl));
  }

  private void setMfa(RoutingContext ctx) {
    Optional<String> userId = Requests.userId(ctx);
    if (userId.isEmpty()) return;
    Optional<JsonObject> body = Requests.jsonBody(ctx, "{\"enabled\": true}");
    if (body.isEmpty()) return;
    if (!(body.get().getValue("enabled") instanceof Boolean enabled)) {
      Problem.badRequest("Send {\"enabled\": true} or {\"enabled\": false}.").send(ctx.response());
      return;
    }
    Future.fromCompletionStage(identity.async(() -> identity.service().setMfa(userId.get(), enabled)),
        ctx.vertx().getOrCreateContext()).onSuccess(user -> {
          if (user.isEmpty()) {
            Problem.unauthorized("This session's user no longer exists.").send(ctx.response());
            return;
          }
          Session session = Verified.of(ctx).session().orElseThrow();
          sessions.replace(ctx, session.withUser(BuiltinIdentity.publicUser(user.get())));
          JsonBodies.send(ctx, 200, new JsonObject().put("mfaEnabled", enabled));
        }).onFailure(failure -> {
          Throwable cause = RefreshFailures.unwrap(failure);
          if (!(cause instanceof ProviderUnavailableException)) {
            ctx.fail(cause);
            return;
          }
          ctx.response().putHeader("Retry-After", "5");
          Problem.of(503, "identity-unavailable", "Service unavailable", "The identity service is busy; try again shortly.")
              .send(ctx.response());
        });
  }
}
