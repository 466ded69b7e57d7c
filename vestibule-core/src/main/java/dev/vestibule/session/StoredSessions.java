package dev.vestibule.session;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Sessions kept on the server ({@code session.store: redis}), each as the same sealed text a cookie would carry, under
 * its id; the cookie then holds only the sealed id. A stage fails when the store cannot answer.
 */
public interface StoredSessions {
  CompletionStage<Optional<String>> load(String sessionId);

  /** Keeps {@code sealed} under the id until {@code expiresAt}. */
  CompletionStage<Void> save(String sessionId, String sealed, Instant expiresAt);

  CompletionStage<Void> delete(String sessionId);
}
