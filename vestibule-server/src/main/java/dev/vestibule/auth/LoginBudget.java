package dev.vestibule.auth;

import dev.vestibule.limit.RateLimiter;
import dev.vestibule.limit.RateLimiter.Decision;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code limits.login}, per client address and per account, counting only refused logins. Per account, each attempt
 * takes its place before the password is checked and gives it back unless the password was wrong, so a burst of
 * concurrent guesses at one account gets no more tries than the limit (a burst of right ones may see 429 while the
 * others are checked). Per address, the budget is checked before and counted after a wrong password, so that many
 * users behind one address (an office, a test suite) log in together as often as they like; a concurrent burst of
 * wrong passwords from one address may pass it by the number in flight.
 */
public final class LoginBudget {
  private static final Logger LOG = LoggerFactory.getLogger(LoginBudget.class);

  private final RateLimiter perAddress;
  private final RateLimiter perAccount;

  public LoginBudget(RateLimiter perAddress, RateLimiter perAccount) {
    this.perAddress = perAddress;
    this.perAccount = perAccount;
  }

  /**
   * The key the per-account limit counts under: the identifier as an account lookup sees it (stripped of any Unicode
   * space, case folded), so no spelling of one account gets a budget of its own.
   */
  public static String accountKey(String identifier) {
    return identifier.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Takes a place for one login attempt; fails when the shared store cannot count.
   *
   * @param address the client's address, or null when this caller has no per-address limit (a confidential client)
   */
  public Future<Attempt> reserve(Context context, String address, String identifier) {
    String account = accountKey(identifier);
    Future<Decision> byAddress = address == null ? Future.succeededFuture(Decision.ALLOWED)
        : Future.fromCompletionStage(perAddress.peekAsync(address), context);
    Future<Decision> byAccount = Future.fromCompletionStage(perAccount.attemptAsync(account), context);
    return Future.all(byAddress, byAccount).map(both -> {
      Attempt attempt = new Attempt(address, account, byAddress.result(), byAccount.result());
      if (!attempt.allowed()) attempt.refund(); // a refused request is no login attempt
      return attempt;
    });
  }

  /** One login attempt's place in the budget: kept for a wrong password, given back for anything else. */
  public final class Attempt {
    private final String address;
    private final String account;
    private final Decision byAddress;
    private final Decision byAccount;

    private Attempt(String address, String account, Decision byAddress, Decision byAccount) {
      this.address = address;
      this.account = account;
      this.byAddress = byAddress;
      this.byAccount = byAccount;
    }

    public boolean allowed() {
      return byAddress.allowed() && byAccount.allowed();
    }

    /** Seconds until a refused attempt may be made again. */
    public long retryAfterSeconds() {
      return Math.max(byAddress.allowed() ? 0 : byAddress.retryAfterSeconds(),
          byAccount.allowed() ? 0 : byAccount.retryAfterSeconds());
    }

    /**
     * The password was wrong: the account's place stays taken and the address is counted. Completes once counted, so
     * that the next attempt sees it; a count that failed still completes (the refusal stands).
     */
    public CompletionStage<Void> wrongPassword() {
      if (address == null) return CompletableFuture.completedFuture(null);
      return perAddress.attemptAsync(address).handle((decision, failure) -> null);
    }

    /** The password was right, or was never checked: this attempt does not count. */
    public void refund() {
      perAccount.refundAsync(account).whenComplete((v, failure) -> {
        if (failure != null) LOG.debug("a login attempt could not be given back: {}", failure.getMessage());
      });
    }
  }
}
