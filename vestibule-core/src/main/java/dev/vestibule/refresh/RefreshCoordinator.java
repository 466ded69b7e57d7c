package dev.vestibule.refresh;

import dev.vestibule.token.TokenSet;
import java.util.concurrent.CompletionStage;

/**
 * At most one refresh per refresh token; everyone who asks gets its result.
 *
 * <p>Callers that ask while a refresh of the same refresh token is under way join it. Callers that ask
 * within the grace window after it finished, still holding the pre-refresh tokens, get the same result
 * without another call to the provider. A caller whose access token is already the refreshed one (it was
 * refused upstream anyway) starts a new refresh.
 *
 * <p>The stage fails with {@link dev.vestibule.token.TokenRejectedException} when the provider refused the
 * refresh (the login is over) and with {@link dev.vestibule.token.ProviderUnavailableException} when it
 * could not answer (nothing changes; a later call tries again).
 */
public interface RefreshCoordinator {
  CompletionStage<TokenSet> refresh(TokenSet stale);
}
