package dev.vestibule.relay;

import java.util.concurrent.CompletionStage;

/**
 * One request to an upstream API, sent with whatever access token the relay hands it.
 *
 * @param <R> the response type of the HTTP client in use
 */
public interface UpstreamCall<R> {
  /**
   * Sends the request with this access token. {@code attempt} is 1 for the first send and 2 for the one
   * retry after a refresh; the second send must replay the same request (body included).
   */
  CompletionStage<R> send(String accessToken, int attempt);

  int status(R response);

  /** Releases a response that will not reach the client because the request is retried. */
  default void discard(R response) {}
}
