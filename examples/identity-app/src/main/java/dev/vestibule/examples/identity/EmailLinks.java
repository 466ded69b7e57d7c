package dev.vestibule.examples.identity;

import dev.vestibule.builtin.BuiltinIdentity;
import dev.vestibule.guard.Verified;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.web.Problem;
import dev.vestibule.web.ReturnTo;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /login/email-link {"email", "returnTo"?}}: mails a login link that lands on the app's own
 * {@code /welcome} page. The answer is 202 whether or not the address has an account, so it tells nobody which
 * addresses do.
 */
final class EmailLinks implements Handler<RoutingContext> {
  private final BuiltinIdentity identity;
  private final RateLimiter perAddressAsked;
  private final String welcomeUrl;

  /** @param perAddressAsked counts link requests per e-mail address, so nobody floods one inbox */
  EmailLinks(BuiltinIdentity identity, RateLimiter perAddressAsked, String welcomeUrl) {
    this.identity = identity;
    this.perAddressAsked = perAddressAsked;
    this.welcomeUrl = welcomeUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<JsonObject> body = Verified.of(ctx).json();
    if (body.isEmpty()) {
      Problem.badRequest("Send {\"email\": \"...\", \"returnTo\": \"/path\"} as JSON.").send(ctx.response());
      return;
    }
    String email = body.get().getValue("email") instanceof String text ? text.strip() : "";
    if (!email.isEmpty() && RateLimited.refused(ctx, perAddressAsked.attempt(email.toLowerCase(Locale.ROOT)))) return;
    // Anything that could lead off this site lands on "/" instead.
    String returnTo = ReturnTo.orHome(body.get().getValue("returnTo") instanceof String text ? text : null);
    // Returns at once: the lookup and the mail happen afterwards, so the answer is the same for every address.
    identity.service().requestMagicLink(email, returnTo, welcomeUrl);
    ctx.response().setStatusCode(202).putHeader("Cache-Control", "no-store").end();
  }
}
