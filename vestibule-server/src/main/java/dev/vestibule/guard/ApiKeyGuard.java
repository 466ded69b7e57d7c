package dev.vestibule.guard;

import dev.vestibule.identity.apikey.ApiKeyCheck;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.Problem;
import dev.vestibule.web.RefreshFailures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code apiKey(privilege)} guard: an {@code X-API-KEY} of at least that privilege, from an address the key
 * allows. Only unknown or expired keys count against the client's address: a valid key keeps working from an
 * address that also sent bad ones (a NAT shared with a misconfigured client), while guessing soon gets 429.
 */
public final class ApiKeyGuard {
  public static final String HEADER = "X-API-KEY";
  private static final long RETRY_AFTER_SECONDS = 5;

  private final ApiKeyVerifier verifier;
  private final ClientAddress clients;
  private final RateLimiter failures;

  /** @param failures counts refused attempts per client address */
  public ApiKeyGuard(ApiKeyVerifier verifier, ClientAddress clients, RateLimiter failures) {
    this.verifier = verifier;
    this.clients = clients;
    this.failures = failures;
  }

  Handler<RoutingContext> guard(Privilege required, Handler<RoutingContext> next) {
    return ctx -> {
      ctx.request().pause();
      String client = clients.of(ctx.request());
      String rawKey = ctx.request().getHeader(HEADER);
      CompletionStage<ApiKeyCheck> check = rawKey == null || rawKey.isBlank()
          ? CompletableFuture.completedFuture(ApiKeyCheck.refused(ApiKeyCheck.Verdict.UNKNOWN))
          : verifier.verify(rawKey, required, client);
      Future.fromCompletionStage(check, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
        if (ar.failed()) {
          unavailable(ctx, ar.cause());
        } else if (ar.result().accepted()) {
          Verified.of(ctx).apiKey(ar.result().key().orElseThrow());
          next.handle(ctx);
        } else {
          refuse(ctx, ClientAddress.limitKey(client), ar.result().verdict(), required);
        }
      });
    };
  }

  private void refuse(RoutingContext ctx, String client, ApiKeyCheck.Verdict verdict, Privilege required) {
    // A real key used beyond its rights (403) proves its holder is no guesser: only keys that are no keys count.
    var counted = verdict.unauthenticated() ? failures.attemptAsync(client) : failures.peekAsync(client);
    Future.fromCompletionStage(counted, ctx.vertx().getOrCreateContext())
        .onFailure(ctx::fail)
        .onSuccess(decision -> refuse(ctx, decision, verdict, required));
  }

  private void refuse(RoutingContext ctx, RateLimiter.Decision decision, ApiKeyCheck.Verdict verdict, Privilege required) {
    if (!decision.allowed()) {
      ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
      Problem.tooManyRequests(decision.retryAfterSeconds()).send(ctx.response());
      return;
    }
    Problem problem = switch (verdict) {
      case IP_NOT_ALLOWED -> Problem.of(403, "api-key-address", "Forbidden",
          "This API key may not be used from your address.");
      case PRIVILEGE_TOO_LOW -> Problem.of(403, "api-key-privilege", "Forbidden",
          "This route needs an API key with privilege " + required.label() + " or higher.")
          .with("requiredPrivilege", required.label());
      default -> {
        ctx.response().putHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
        yield Problem.unauthorized("Send a valid, unexpired API key in the " + HEADER + " header.");
      }
    };
    problem.send(ctx.response());
  }

  private static void unavailable(RoutingContext ctx, Throwable failure) {
    Throwable cause = RefreshFailures.unwrap(failure);
    if (!(cause instanceof ProviderUnavailableException)) {
      ctx.fail(cause);
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    Problem.of(503, "identity-unavailable", "Service unavailable", "API keys cannot be checked now; try again shortly.")
        .with("retryAfter", RETRY_AFTER_SECONDS)
        .send(ctx.response());
  }
}
