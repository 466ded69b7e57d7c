package dev.vestibule.builtin;

import dev.vestibule.auth.LoginBudget;
import dev.vestibule.limit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many reset and login-link mails requests may send. Such a request is answered 202 whatever happens (SPEC §7:
 * nothing tells whether an account exists), so past a budget the answer stays the same and no mail goes out: nobody
 * can flood a mailbox, nor spend the mail server's reputation from one address.
 */
public final class MailBudget {
  private static final Logger LOG = LoggerFactory.getLogger(MailBudget.class);

  private final RateLimiter perClient;
  private final RateLimiter perMailbox;

  /**
   * @param perClient counts mail requests per client address
   * @param perMailbox counts mail requests per kind of mail and mailbox asked for
   */
  public MailBudget(RateLimiter perClient, RateLimiter perMailbox) {
    this.perClient = perClient;
    this.perMailbox = perMailbox;
  }

  /**
   * Counts a request for a {@code kind} mail to {@code email} from {@code client}, runs {@code send} if the budgets
   * allow it, and answers 202 either way.
   */
  void spend(RoutingContext ctx, String client, String kind, String email, Runnable send) {
    var context = ctx.vertx().getOrCreateContext();
    Future.fromCompletionStage(perClient.attemptAsync(client), context)
        .compose(perClientLeft -> !perClientLeft.allowed() || email == null ? Future.succeededFuture(perClientLeft)
            : Future.fromCompletionStage(perMailbox.attemptAsync(kind + ":" + LoginBudget.accountKey(email)), context))
        .onFailure(ctx::fail)
        .onSuccess(left -> {
          if (left.allowed()) {
            send.run();
          } else {
            LOG.info("a {} mail was asked for too often; answered 202 without sending it", kind);
          }
          ctx.response().setStatusCode(202).putHeader("Cache-Control", "no-store").end();
        });
  }
}
