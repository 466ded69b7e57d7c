package dev.vestibule.builtin;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.guard.MailedLogins;
import dev.vestibule.identity.IdentityService;
import dev.vestibule.identity.apikey.ApiKeyCheck;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.identity.mfa.MfaVerification;
import dev.vestibule.identity.user.User;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in identity as the gateway uses it: its logins and refreshes, in this process, with every
 * blocking call (JDBC, password hashing) run off the event loop.
 */
public final class BuiltinIdentity implements Authenticator, TokenEndpoint, MailedLogins, AutoCloseable {
  /** How often expired tokens, links, challenges and long-expired API keys are purged from the database. */
  public static final Duration UPKEEP_EVERY = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(BuiltinIdentity.class);

  private final IdentityService identity;
  private final String clientId;
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService upkeep =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("vestibule-upkeep").daemon().factory());

  /** @param clientId the client the gateway's own sessions are issued to (the first configured one) */
  public BuiltinIdentity(IdentityService identity, String clientId) {
    this(identity, clientId, UPKEEP_EVERY);
  }

  BuiltinIdentity(IdentityService identity, String clientId, Duration upkeepEvery) {
    this.identity = identity;
    this.clientId = clientId;
    long every = upkeepEvery.toMillis();
    upkeep.scheduleWithFixedDelay(this::purgeExpired, every, every, TimeUnit.MILLISECONDS);
  }

  // A failure must not end the schedule: the next round tries again.
  private void purgeExpired() {
    try {
      identity.purgeExpired();
    } catch (RuntimeException e) {
      LOG.warn("expired tokens could not be purged now: {}", e.getMessage());
    }
  }

  public IdentityService service() {
    return identity;
  }

  public String clientId() {
    return clientId;
  }

  /** Runs blocking identity work off the event loop. */
  public <T> CompletionStage<T> async(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, blocking);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new ProviderUnavailableException("identity service is shutting down", e));
    }
  }

  @Override
  public CompletionStage<Outcome> login(String identifier, String password) {
    if (identity.passwordHasher().saturated()) {
      return CompletableFuture.failedFuture(new ProviderUnavailableException("password hashing is at capacity; try again shortly", null));
    }
    return async(() -> {
      User user = identity.authenticate(identifier, password)
          .orElseThrow(() -> new TokenRejectedException("invalid_grant", "wrong credentials"));
      if (user.mfaEnabled()) {
        IdentityService.MfaChallenge challenge = identity.startMfa(user);
        return new MfaRequired(challenge.challenge(), challenge.expiresAt());
      }
      return login(user);
    });
  }

  private Login login(User user) {
    return new Login(publicUser(user), identity.login(user, clientId));
  }

  @Override
  public CompletionStage<LinkLogin> redeemLink(String token) {
    return async(() -> {
      IdentityService.MagicLinkLogin redeemed = identity.redeemMagicLink(token);
      return new LinkLogin(login(redeemed.user()), redeemed.returnTo());
    });
  }

  @Override
  public CompletionStage<CodeCheck> checkCode(String challenge, String code, RateLimiter wrongCodes) {
    return async(() -> {
      Optional<String> owner = identity.mfaChallengeOwner(challenge);
      if (owner.isEmpty()) return new CodeCheck.Unknown();
      String account = "mfa:" + owner.get();
      RateLimiter.Decision allowed = wrongCodes.peek(account);
      if (!allowed.allowed()) return new CodeCheck.TooMany(allowed.retryAfterSeconds(), false);
      MfaVerification verification = identity.verifyMfaCode(challenge, code);
      return switch (verification.outcome()) {
        case ACCEPTED -> identity.user(verification.userId().orElseThrow())
            .<CodeCheck>map(user -> new CodeCheck.Accepted(login(user)))
            .orElseGet(CodeCheck.Unknown::new);
        case WRONG -> {
          RateLimiter.Decision next = wrongCodes.attempt(account);
          yield next.allowed() ? new CodeCheck.Wrong(verification.attemptsLeft())
              : new CodeCheck.TooMany(next.retryAfterSeconds(), false);
        }
        case TOO_MANY -> {
          wrongCodes.attempt(account);
          yield new CodeCheck.TooMany(1, true);
        }
        case UNKNOWN -> new CodeCheck.Unknown();
      };
    });
  }

  @Override
  public CompletionStage<Void> logout(TokenSet tokens) {
    return revoke(tokens);
  }

  @Override
  public CompletionStage<TokenSet> password(String username, String password) {
    return async(() -> {
      User user = identity.authenticate(username, password)
          .orElseThrow(() -> new TokenRejectedException("invalid_grant", "wrong credentials"));
      if (user.mfaEnabled()) throw mfaRequired();
      return identity.login(user, clientId);
    });
  }

  /** Why a password alone gets no tokens for a user with MFA on: the code step happens at {@code /auth/login}. */
  public static final String MFA_REQUIRED = "this account needs the code mailed at login; log in through /auth/login";

  public static TokenRejectedException mfaRequired() {
    return new TokenRejectedException("invalid_grant", MFA_REQUIRED);
  }

  @Override
  public CompletionStage<TokenSet> refresh(TokenSet current) {
    String refreshToken = current.refreshToken()
        .orElseThrow(() -> new TokenRejectedException("invalid_grant", "the session has no refresh token"));
    return async(() -> identity.refresh(refreshToken, clientId));
  }

  @Override
  public CompletionStage<Void> revoke(TokenSet tokens) {
    if (tokens.refreshToken().isEmpty()) return CompletableFuture.completedFuture(null);
    return async(() -> {
      identity.revoke(tokens.refreshToken().get());
      return null;
    });
  }

  /** Checks an API key for a route that needs {@code required}, off the event loop. */
  public CompletionStage<ApiKeyCheck> verifyApiKey(String rawKey, Privilege required, String clientAddress) {
    return async(() -> identity.verifyApiKey(rawKey, required, clientAddress));
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> userinfo(String accessToken) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  /** What {@code /auth/session} shows of a user. */
  public static Map<String, Object> publicUser(User user) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("id", user.id());
    shown.put("name", user.name());
    shown.put("email", user.email());
    shown.put("roles", user.roles());
    shown.put("mfaEnabled", user.mfaEnabled());
    return shown;
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    blocking.shutdown();
    identity.close();
  }
}
