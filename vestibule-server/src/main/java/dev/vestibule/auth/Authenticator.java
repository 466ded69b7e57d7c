package dev.vestibule.auth;

import dev.vestibule.token.TokenSet;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Checks a user's credentials with an identity service and returns the login's tokens and public user.
 * Fails with {@link dev.vestibule.token.TokenRejectedException} for wrong credentials (the same whether or
 * not the account exists) and {@link dev.vestibule.token.ProviderUnavailableException} when the service is
 * down.
 */
public interface Authenticator {
  record Login(Map<String, Object> user, TokenSet tokens) {}

  CompletionStage<Login> login(String identifier, String password);

  /** Gives up the login's tokens at the identity service (RFC 7009); best effort. */
  CompletionStage<Void> logout(TokenSet tokens);
}
