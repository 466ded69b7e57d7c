package dev.vestibule.token;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An OAuth2 authorisation server as the gateway uses it. Every stage fails with
 * {@link TokenRejectedException} when the provider says no, and with
 * {@link ProviderUnavailableException} when it cannot answer.
 */
public interface TokenEndpoint {
  /** Resource-owner password grant (RFC 6749 §4.3). */
  CompletionStage<TokenSet> password(String username, String password);

  /** Refresh-token grant (RFC 6749 §6); a provider that does not rotate keeps the old refresh token. */
  CompletionStage<TokenSet> refresh(TokenSet current);

  /** Revokes the refresh token (RFC 7009) when the provider has a revocation endpoint; best effort. */
  CompletionStage<Void> revoke(TokenSet tokens);

  /** The userinfo claims when the provider has a userinfo endpoint. */
  CompletionStage<Optional<Map<String, Object>>> userinfo(String accessToken);
}
