package dev.vestibule.guard;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.session.Session;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.Navigation;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import dev.vestibule.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The checks behind the {@code magicLink} and {@code mfaCode} guards: each turns a mailed secret (a link's token,
 * a 7-digit code) into a new login, whose session replaces any the browser had before the handler runs.
 */
public final class MailedLoginGuard {
  private static final long RETRY_AFTER_SECONDS = 5;

  private final MailedLogins logins;
  private final Sessions sessions;
  private final ClientAddress clients;
  private final RateLimiter linkFailuresPerIp;
  private final RateLimiter wrongCodesPerAccount;
  private final String loginPage;

  /**
   * @param linkFailuresPerIp counts unusable login links per client address
   * @param wrongCodesPerAccount counts wrong codes per user
   * @param loginPage where a browser goes after an unusable link
   */
  public MailedLoginGuard(MailedLogins logins, Sessions sessions, ClientAddress clients, RateLimiter linkFailuresPerIp,
      RateLimiter wrongCodesPerAccount, String loginPage) {
    this.logins = logins;
    this.sessions = sessions;
    this.clients = clients;
    this.linkFailuresPerIp = linkFailuresPerIp;
    this.wrongCodesPerAccount = wrongCodesPerAccount;
    this.loginPage = loginPage;
  }

  Handler<RoutingContext> link(Handler<RoutingContext> next) {
    return ctx -> {
      ctx.response().putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-store");
      String client = clients.limitKey(ctx.request());
      Future.fromCompletionStage(linkFailuresPerIp.peekAsync(client), ctx.vertx().getOrCreateContext())
          .onFailure(ctx::fail)
          .onSuccess(decision -> {
            if (decision.allowed()) {
              redeem(ctx, client, next);
            } else {
              tooMany(ctx, decision.retryAfterSeconds());
            }
          });
    };
  }

  private void redeem(RoutingContext ctx, String client, Handler<RoutingContext> next) {
    String token = ctx.request().getParam("token");
    if (token == null || token.isBlank()) {
      unusableLink(ctx, client);
      return;
    }
    Future.fromCompletionStage(logins.redeemLink(token), ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        Session session = start(ctx, ar.result().login());
        Verified.of(ctx).returnTo(ar.result().returnTo());
        Verified.of(ctx).session(session);
        sessions.persist(ctx).onFailure(ctx::fail).onSuccess(v -> next.handle(ctx));
      } else if (RefreshFailures.unwrap(ar.cause()) instanceof TokenRejectedException) {
        unusableLink(ctx, client);
      } else {
        unavailable(ctx, ar.cause());
      }
    });
  }

  Handler<RoutingContext> code(Handler<RoutingContext> next) {
    return ctx -> {
      String challenge = sessions.mfaChallenge(ctx).orElse(null);
      if (challenge == null) {
        Problem.of(401, "mfa-challenge-missing", "Unauthorized",
            "No login is waiting for a code in this browser; log in with your password first.").send(ctx.response());
        return;
      }
      String code = code(Verified.of(ctx).json().orElse(null));
      if (code == null) {
        Problem.badRequest("Send {\"code\": \"1234567\"} as JSON: the 7-digit code from the mail.").send(ctx.response());
        return;
      }
      Future.fromCompletionStage(logins.checkCode(challenge, code, wrongCodesPerAccount), ctx.vertx().getOrCreateContext())
          .onComplete(ar -> {
            if (ar.failed()) {
              unavailable(ctx, ar.cause());
              return;
            }
            switch (ar.result()) {
              case MailedLogins.CodeCheck.Accepted accepted -> {
                sessions.endMfa(ctx);
                Verified.of(ctx).session(start(ctx, accepted.login()));
                sessions.persist(ctx).onFailure(ctx::fail).onSuccess(v -> next.handle(ctx));
              }
              case MailedLogins.CodeCheck.Wrong wrong -> Problem.of(401, "wrong-mfa-code", "Unauthorized",
                      "That is not the code we mailed; check it and try again.")
                  .with("attemptsLeft", wrong.attemptsLeft())
                  .send(ctx.response());
              case MailedLogins.CodeCheck.TooMany tooMany -> {
                if (!tooMany.challengeSpent()) {
                  tooMany(ctx, tooMany.retryAfterSeconds());
                  return;
                }
                sessions.endMfa(ctx);
                ctx.response().putHeader("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
                Problem.of(429, "too-many-codes", "Too many requests", "Too many wrong codes; log in again for a new code.")
                    .with("retryAfter", tooMany.retryAfterSeconds())
                    .send(ctx.response());
              }
              case MailedLogins.CodeCheck.Unknown unknown -> {
                sessions.endMfa(ctx);
                Problem.of(401, "mfa-challenge-expired", "Unauthorized",
                    "This login's code has expired, was used, or a newer login replaced it; log in again.").send(ctx.response());
              }
            }
          });
    };
  }

  private Session start(RoutingContext ctx, Authenticator.Login login) {
    Session session = sessions.create(login.user(), login.tokens());
    sessions.set(ctx, session);
    return session;
  }

  /** The code as a string of digits; a JSON number keeps its leading zeros by padding to 7 digits. */
  private static String code(JsonObject body) {
    if (body == null) return null;
    Object value = body.getValue("code");
    if (value instanceof String text) return text.strip();
    if (value instanceof Number number && number.longValue() >= 0 && number.longValue() < 10_000_000
        && number.doubleValue() == number.longValue()) {
      return String.format("%07d", number.longValue());
    }
    return null;
  }

  private void unusableLink(RoutingContext ctx, String client) {
    Future.fromCompletionStage(linkFailuresPerIp.attemptAsync(client), ctx.vertx().getOrCreateContext())
        .onFailure(ctx::fail)
        .onSuccess(counted -> unusableLinkCounted(ctx));
  }

  private void unusableLinkCounted(RoutingContext ctx) {
    String login = loginPage + (loginPage.contains("?") ? "&" : "?") + "error=link-invalid";
    if (Navigation.isNavigation(ctx.request())) {
      ctx.response().setStatusCode(302).putHeader("Location", login).end();
      return;
    }
    Problem.of(401, "invalid-magic-link", "Unauthorized",
            "This login link is invalid, used or expired; ask for a new one.")
        .with("login", login)
        .send(ctx.response());
  }

  private static void tooMany(RoutingContext ctx, long retryAfterSeconds) {
    ctx.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
    Problem.tooManyRequests(retryAfterSeconds).send(ctx.response());
  }

  private static void unavailable(RoutingContext ctx, Throwable failure) {
    Throwable cause = RefreshFailures.unwrap(failure);
    if (!(cause instanceof ProviderUnavailableException)) {
      ctx.fail(cause);
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    Problem.of(503, "identity-unavailable", "Service unavailable", "The login cannot be checked now; try again shortly.")
        .with("retryAfter", RETRY_AFTER_SECONDS)
        .send(ctx.response());
  }
}
