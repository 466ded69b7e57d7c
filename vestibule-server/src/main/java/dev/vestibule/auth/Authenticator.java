package dev.vestibule.auth;

import dev.vestibule.token.TokenSet;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Checks a user's credentials with an identity service and returns the login's tokens and public user, or, for a
 * user with MFA on, the challenge their mailed code completes. Fails with
 * {@link dev.vestibule.token.TokenRejectedException} for wrong credentials (the same whether or not the account
 * exists) and {@link dev.vestibule.token.ProviderUnavailableException} when the service is down.
 */
public interface Authenticator {
  /** What right credentials lead to. */
  sealed interface Outcome permits Login, MfaRequired {}

  /** A complete login. */
  record Login(Map<String, Object> user, TokenSet tokens) implements Outcome {}

  /** The password was right; a code went to the user's mailbox and {@code challenge} goes into the browser. */
  record MfaRequired(String challenge, Instant expiresAt) implements Outcome {
    @Override
    public String toString() {
      return "MfaRequired[challenge=redacted, expiresAt=" + expiresAt + "]";
    }
  }

  CompletionStage<Outcome> login(String identifier, String password);

  /** Gives up the login's tokens at the identity service (RFC 7009); best effort. */
  CompletionStage<Void> logout(TokenSet tokens);
}
