package dev.vestibule.auth;

import dev.vestibule.config.LimitsConfig;
import dev.vestibule.session.Session;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /auth/login}, {@code GET /auth/session} and {@code POST /auth/logout}, for every identity type. A
 * login of a user with MFA on answers 202 {@code {"mfaRequired":true}} and a challenge cookie instead of a session.
 */
public final class SessionEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoints.class);
  private static final int MAX_JSON_BYTES = 16 * 1024;
  private static final Duration LOGOUT_WAIT = Duration.ofSeconds(5);

  private final Authenticator authenticator;
  private final Sessions sessions;
  private final ClientAddress clients;
  private final LoginBudget logins;

  public SessionEndpoints(Authenticator authenticator, Sessions sessions, ClientAddress clients, LoginBudget logins) {
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.clients = clients;
    this.logins = logins;
  }

  public void mount(Router router) {
    router.post("/auth/login").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(this::login);
    router.get("/auth/session").handler(this::session);
    router.post("/auth/logout").handler(this::logout);
  }

  private void login(RoutingContext ctx) {
    Optional<JsonObject> body = JsonBodies.read(ctx);
    if (body.isEmpty()) return;
    String identifier = firstString(body.get(), "email", "username");
    Object password = body.get().getValue("password");
    if (identifier == null || identifier.isBlank() || !(password instanceof String secret) || secret.isEmpty()) {
      Problem.badRequest("Send {\"email\" or \"username\", \"password\"} as JSON.").send(ctx.response());
      return;
    }
    var context = ctx.vertx().getOrCreateContext();
    logins.reserve(context, clients.limitKey(ctx.request()), identifier).onFailure(ctx::fail).onSuccess(attempt -> {
      if (!attempt.allowed()) {
        long retryAfter = attempt.retryAfterSeconds();
        ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
        Problem.tooManyRequests(retryAfter).send(ctx.response());
        return;
      }
      login(ctx, identifier.strip(), secret, attempt);
    });
  }

  private void login(RoutingContext ctx, String identifier, String secret, LoginBudget.Attempt attempt) {
    Future.fromCompletionStage(authenticator.login(identifier, secret), ctx.vertx().getOrCreateContext())
        .onSuccess(outcome -> {
          attempt.refund();
          switch (outcome) {
            case Authenticator.Login login -> {
              Session session = sessions.create(login.user(), login.tokens());
              sessions.set(ctx, session);
              sessions.endMfa(ctx);
              sessions.persist(ctx).onFailure(ctx::fail).onSuccess(v ->
                  JsonBodies.send(ctx, 200, new JsonObject().put("user", new JsonObject(session.user()))));
            }
            case Authenticator.MfaRequired mfa -> {
              sessions.startMfa(ctx, mfa.challenge(), mfa.expiresAt());
              JsonBodies.send(ctx, 202, new JsonObject().put("mfaRequired", true));
            }
          }
        })
        .onFailure(failure -> {
          Throwable cause = RefreshFailures.unwrap(failure);
          if (cause instanceof TokenRejectedException) {
            Future.fromCompletionStage(attempt.wrongPassword(), ctx.vertx().getOrCreateContext()).onComplete(counted ->
                Problem.of(401, "invalid-credentials", "Unauthorized", "Wrong email, username or password.")
                    .send(ctx.response()));
            return;
          }
          attempt.refund();
          if (cause instanceof ProviderUnavailableException) {
            ctx.response().putHeader("Retry-After", "5");
            Problem.of(503, "provider-unavailable", "Service unavailable", "The identity provider could not be reached.")
                .send(ctx.response());
          } else {
            LOG.error("login failed: {}", cause.getClass().getName());
            Problem.internal().send(ctx.response());
          }
        });
  }

  private void session(RoutingContext ctx) {
    Optional<Session> session = sessions.get(ctx);
    if (session.isEmpty()) {
      Problem.unauthorized("No session.").send(ctx.response());
      return;
    }
    JsonObject body = new JsonObject()
        .put("user", new JsonObject(session.get().user()))
        .put("loggedInAt", session.get().loggedInAt().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("expiresAt", session.get().expiresAt().toString());
    // When the current access token lapses (not the token itself): lets a page show refreshes happening.
    session.get().tokens().accessExpiresAt().ifPresent(at -> body.put("accessTokenExpiresAt", at.toString()));
    JsonBodies.send(ctx, 200, body);
  }

  private void logout(RoutingContext ctx) {
    Optional<Session> session = sessions.get(ctx);
    if (session.isEmpty()) {
      sessions.clear(ctx);
      ctx.response().setStatusCode(204).end();
      return;
    }
    if (!sessions.csrfValid(ctx)) {
      Problem.forbidden("Missing or wrong X-CSRF-Token header.").send(ctx.response());
      return;
    }
    sessions.end(ctx).onFailure(ctx::fail).onSuccess(ended ->
        Future.fromCompletionStage(authenticator.logout(session.get().tokens()), ctx.vertx().getOrCreateContext())
            .timeout(LOGOUT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .onComplete(ar -> ctx.response().setStatusCode(204).end()));
  }

  private static String firstString(JsonObject body, String... names) {
    for (String name : names) {
      if (body.getValue(name) instanceof String value) return value;
    }
    return null;
  }
}
