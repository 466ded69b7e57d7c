package dev.vestibule.builtin;

import dev.vestibule.auth.Authenticator;
import dev.vestibule.identity.IdentityService;
import dev.vestibule.identity.apikey.ApiKeyCheck;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.identity.user.User;
import dev.vestibule.token.ProviderUnavailableException;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.token.TokenRejectedException;
import dev.vestibule.token.TokenSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The built-in identity as the gateway uses it: its logins and refreshes, in this process, with every
 * blocking call (JDBC, password hashing) run off the event loop.
 */
public final class BuiltinIdentity implements Authenticator, TokenEndpoint, AutoCloseable {
  private final IdentityService identity;
  private final String clientId;
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

  /** @param clientId the client the gateway's own sessions are issued to (the first configured one) */
  public BuiltinIdentity(IdentityService identity, String clientId) {
    this.identity = identity;
    this.clientId = clientId;
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
  public CompletionStage<Login> login(String identifier, String password) {
    return async(() -> {
      User user = identity.authenticate(identifier, password)
          .orElseThrow(() -> new TokenRejectedException("invalid_grant", "wrong credentials"));
      return new Login(publicUser(user), identity.login(user, clientId));
    });
  }

  @Override
  public CompletionStage<Void> logout(TokenSet tokens) {
    return revoke(tokens);
  }

  @Override
  public CompletionStage<TokenSet> password(String username, String password) {
    return login(username, password).thenApply(Login::tokens);
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
    return shown;
  }

  @Override
  public void close() {
    blocking.shutdown();
    identity.close();
  }
}
