package dev.vestibule.guard;

import dev.vestibule.identity.apikey.ApiKeyCheck;
import dev.vestibule.identity.apikey.Privilege;
import java.util.concurrent.CompletionStage;

/** Checks an {@code X-API-KEY} off the event loop: the built-in identity's keys. */
@FunctionalInterface
public interface ApiKeyVerifier {
  /**
   * @param rawKey the header as sent; null when there was none
   * @param clientAddress the client's IP as {@link dev.vestibule.web.ClientAddress} sees it
   */
  CompletionStage<ApiKeyCheck> verify(String rawKey, Privilege required, String clientAddress);
}
