package dev.vestibule.builtin;

import dev.vestibule.auth.LoginBudget;
import dev.vestibule.identity.RegistrationException;
import dev.vestibule.identity.user.User;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.session.Session;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in identity's endpoints: registration and password reset for the browser, and the standard
 * OAuth2 endpoints ({@code /oauth/token}, {@code /oauth/revoke}, JWKS, discovery) for other gateways and APIs.
 */
public final class IdentityEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityEndpoints.class);
  private static final int MAX_BODY = 16 * 1024;

  private final BuiltinIdentity identity;
  private final Sessions sessions;
  private final ClientAddress clients;
  private final Limits limits;
  private final String resetPage;
  private final Clock clock;

  /** The rate limits of these endpoints. */
  public record Limits(RateLimiter registerPerIp, RateLimiter codesPerIp, MailBudget mails,
      LoginBudget logins) {}

  public IdentityEndpoints(BuiltinIdentity identity, Sessions sessions, ClientAddress clients, Limits limits,
      String publicUrl, Clock clock) {
    this.identity = identity;
    this.sessions = sessions;
    this.clients = clients;
    this.limits = limits;
    this.resetPage = publicUrl + "/reset-password";
    this.clock = clock;
  }

  public void mount(Router router) {
    BodyHandler json = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    router.post("/auth/register").handler(json).handler(this::register);
    router.post("/auth/password/forgot").handler(json).handler(this::forgot);
    router.post("/auth/password/reset").handler(json).handler(this::reset);
    router.post("/oauth/token").handler(json).handler(this::token);
    router.post("/oauth/revoke").handler(json).handler(this::revoke);
    router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "max-age=300")
        .end(identity.service().jwksJson()));
    router.get("/.well-known/openid-configuration").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "max-age=300")
        .end(new JsonObject(identity.service().openidConfiguration()).encode()));
  }

  private void register(RoutingContext ctx) {
    if (!Requests.csrfOnceLoggedIn(sessions, ctx)) return;
    Requests.limited(ctx, limits.registerPerIp(), clients.limitKey(ctx.request()), () -> registerCounted(ctx));
  }

  private void registerCounted(RoutingContext ctx) {
    Optional<JsonObject> body = JsonBodies.read(ctx);
    if (body.isEmpty()) return;
    String name = JsonBodies.string(body.get(), "name");
    String email = JsonBodies.string(body.get(), "email");
    String password = JsonBodies.string(body.get(), "password");
    blocking(ctx, () -> {
      User user = identity.service().register(name, email, password);
      return new Registered(user, identity.service().login(user, identity.clientId()));
    }).onSuccess(registered -> {
      Session session = sessions.create(BuiltinIdentity.publicUser(registered.user()), registered.tokens());
      sessions.set(ctx, session);
      sessions.persist(ctx).onFailure(ctx::fail).onSuccess(v -> JsonBodies.send(ctx, 201, new JsonObject().put("user",
          new JsonObject().put("id", registered.user().id()).put("name", registered.user().name())
              .put("email", registered.user().email()))));
    }).onFailure(failure -> answer(ctx, failure));
  }

  private record Registered(User user, TokenSet tokens) {}

  private void forgot(RoutingContext ctx) {
    if (!Requests.csrfOnceLoggedIn(sessions, ctx)) return;
    Optional<JsonObject> body = JsonBodies.read(ctx);
    if (body.isEmpty()) return;
    String email = JsonBodies.string(body.get(), "email");
    limits.mails().spend(ctx, clients.limitKey(ctx.request()), "reset", email, () -> {
      // Answered the same way for every address; the mail, if any, goes out afterwards.
      identity.service().requestPasswordReset(email, resetPage);
    });
  }

  private void reset(RoutingContext ctx) {
    if (!Requests.csrfOnceLoggedIn(sessions, ctx)) return;
    Requests.limited(ctx, limits.codesPerIp(), clients.limitKey(ctx.request()), () -> resetCounted(ctx));
  }

  private void resetCounted(RoutingContext ctx) {
    Optional<JsonObject> body = JsonBodies.read(ctx);
    if (body.isEmpty()) return;
    String token = JsonBodies.string(body.get(), "token");
    String password = JsonBodies.string(body.get(), "password");
    if (token == null || token.isBlank()) {
      Problem.badRequest("Send {\"token\", \"password\"}; the token is in the reset mail's link.").send(ctx.response());
      return;
    }
    blocking(ctx, () -> identity.service().resetPassword(token, password)).onSuccess(user -> {
      sessions.endUser(user.id()).compose(v -> sessions.end(ctx))
          .onSuccess(v -> ctx.response().setStatusCode(204).end())
          .onFailure(ctx::fail);
    }).onFailure(failure -> {
      if (RefreshFailures.unwrap(failure) instanceof TokenRejectedException) {
        Problem.of(400, "invalid-reset-token", "Bad request", "The reset link is invalid, used or expired; ask for a new one.")
            .send(ctx.response());
      } else {
        answer(ctx, failure);
      }
    });
  }

  private void token(RoutingContext ctx) {
    Optional<ClientCredentials> client = ClientCredentials.of(ctx);
    if (client.isEmpty()) {
      oauthError(ctx, 400, "invalid_request", "malformed client credentials");
      return;
    }
    String grant = ctx.request().getFormAttribute("grant_type");
    if ("password".equals(grant)) {
      String username = ctx.request().getFormAttribute("username");
      String password = ctx.request().getFormAttribute("password");
      if (username == null || password == null) {
        oauthError(ctx, 400, "invalid_request", "username and password are required");
        return;
      }
      // A confidential client (another gateway) logs in all its users from one address: its per-IP budget
      // would be shared by all of them. It proves itself with its secret, and every account keeps its limit.
      boolean confidential = client.get().secret() != null && !client.get().secret().isEmpty();
      String address = confidential ? null : clients.limitKey(ctx.request());
      // As for POST /auth/login, only wrong passwords count.
      limits.logins().reserve(ctx.vertx().getOrCreateContext(), address, username).onComplete(reserved -> {
        if (reserved.failed()) {
          oauthUnavailable(ctx, RefreshFailures.unwrap(reserved.cause()));
          return;
        }
        LoginBudget.Attempt attempt = reserved.result();
        if (!attempt.allowed()) {
          long retryAfter = attempt.retryAfterSeconds();
          ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
          oauthError(ctx, 429, "temporarily_unavailable", "too many attempts; retry after " + retryAfter + " s");
          return;
        }
        grant(ctx, client.get(), attempt::refund, () -> {
          Optional<User> user;
          try {
            user = identity.service().authenticate(username.strip(), password);
          } catch (RuntimeException e) {
            attempt.refund();
            throw e;
          }
          if (user.isEmpty()) {
            attempt.wrongPassword().toCompletableFuture().join(); // on a worker: counted before the answer
            throw new TokenRejectedException("invalid_grant", "wrong credentials");
          }
          attempt.refund();
          if (user.get().mfaEnabled()) throw BuiltinIdentity.mfaRequired();
          return identity.service().login(user.get(), client.get().id());
        });
      });
    } else if ("refresh_token".equals(grant)) {
      String refreshToken = ctx.request().getFormAttribute("refresh_token");
      if (refreshToken == null) {
        oauthError(ctx, 400, "invalid_request", "refresh_token is required");
        return;
      }
      grant(ctx, client.get(), () -> { }, () -> identity.service().refresh(refreshToken, client.get().id()));
    } else if (grant == null || grant.isEmpty()) {
      oauthError(ctx, 400, "invalid_request", "grant_type is required");
    } else {
      oauthError(ctx, 400, "unsupported_grant_type", "use password or refresh_token");
    }
  }

  /** @param clientRefused runs when the client fails to authenticate, before {@code issue} was asked */
  private void grant(RoutingContext ctx, ClientCredentials client, Runnable clientRefused,
      java.util.function.Supplier<TokenSet> issue) {
    Future.fromCompletionStage(identity.async(() -> {
      if (!identity.service().authenticateClient(client.id(), client.secret())) {
        clientRefused.run();
        throw new TokenRejectedException("invalid_client", "unknown client or wrong secret");
      }
      return issue.get();
    }), ctx.vertx().getOrCreateContext()).onSuccess(tokens -> {
      JsonObject answer = new JsonObject().put("access_token", tokens.accessToken()).put("token_type", "Bearer");
      tokens.accessExpiresAt().ifPresent(at ->
          answer.put("expires_in", Math.max(0, Duration.between(clock.instant(), at).toSeconds())));
      tokens.refreshToken().ifPresent(rt -> answer.put("refresh_token", rt));
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .putHeader("Pragma", "no-cache").end(answer.encode());
    }).onFailure(failure -> {
      Throwable cause = RefreshFailures.unwrap(failure);
      if (cause instanceof TokenRejectedException rejected) {
        if ("invalid_client".equals(rejected.error())) {
          ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"vestibule\"");
          oauthError(ctx, 401, "invalid_client", "client authentication failed");
        } else {
          oauthError(ctx, 400, rejected.error(),
              rejected.getMessage().endsWith(BuiltinIdentity.MFA_REQUIRED) ? BuiltinIdentity.MFA_REQUIRED : null);
        }
      } else {
        oauthUnavailable(ctx, cause);
      }
    });
  }

  private void revoke(RoutingContext ctx) {
    Optional<ClientCredentials> client = ClientCredentials.of(ctx);
    String token = ctx.request().getFormAttribute("token");
    if (client.isEmpty() || token == null) {
      oauthError(ctx, 400, "invalid_request", "token and client credentials are required");
      return;
    }
    Future.fromCompletionStage(identity.async(() -> {
      if (!identity.service().authenticateClient(client.get().id(), client.get().secret())) return false;
      identity.service().revoke(token, client.get().id());
      return true;
    }), ctx.vertx().getOrCreateContext()).onSuccess(ok -> {
      if (ok) {
        ctx.response().setStatusCode(200).end();
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"vestibule\"");
        oauthError(ctx, 401, "invalid_client", "client authentication failed");
      }
    }).onFailure(failure -> oauthUnavailable(ctx, RefreshFailures.unwrap(failure)));
  }

  private <T> Future<T> blocking(RoutingContext ctx, Checked<T> work) {
    return Future.fromCompletionStage(identity.async(() -> {
      try {
        return work.get();
      } catch (RegistrationException e) {
        throw new RegistrationFailure(e);
      }
    }), ctx.vertx().getOrCreateContext());
  }

  private void answer(RoutingContext ctx, Throwable failure) {
    Throwable cause = RefreshFailures.unwrap(failure);
    if (cause instanceof RegistrationFailure registration) {
      RegistrationException e = registration.exception;
      JsonArray errors = new JsonArray();
      e.errors().forEach(error -> errors.add(new JsonObject().put("field", error.field()).put("message", error.message())));
      boolean taken = e.kind() == RegistrationException.Kind.EMAIL_TAKEN;
      Problem.of(taken ? 409 : 400, taken ? "email-taken" : "invalid-registration", taken ? "Conflict" : "Bad request",
              taken ? "An account with this email exists." : "Some fields need another value.")
          .with("errors", errors)
          .send(ctx.response());
      return;
    }
    unavailable(ctx, cause);
  }

  private static void unavailable(RoutingContext ctx, Throwable cause) {
    if (!(cause instanceof ProviderUnavailableException)) LOG.error("identity request failed", cause);
    ctx.response().putHeader("Retry-After", "5");
    Problem.of(503, "identity-unavailable", "Service unavailable", "The identity service is busy; try again shortly.")
        .send(ctx.response());
  }

  /** As {@link #unavailable}, answered the RFC 6749 way, like every error of {@code /oauth/*} (SPEC §3). */
  private static void oauthUnavailable(RoutingContext ctx, Throwable cause) {
    if (!(cause instanceof ProviderUnavailableException)) LOG.error("identity request failed", cause);
    ctx.response().putHeader("Retry-After", "5");
    oauthError(ctx, 503, "temporarily_unavailable", "the identity service is busy; try again shortly");
  }

  private static void oauthError(RoutingContext ctx, int status, String error, String description) {
    JsonObject body = new JsonObject().put("error", error);
    if (description != null) body.put("error_description", description);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  @FunctionalInterface
  private interface Checked<T> {
    T get() throws RegistrationException;
  }

  private static final class RegistrationFailure extends RuntimeException {
    final RegistrationException exception;

    RegistrationFailure(RegistrationException exception) {
      super(null, null, false, false);
      this.exception = exception;
    }
  }
}
