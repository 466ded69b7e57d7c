package dev.vestibule.token;

/**
 * The identity provider could not answer now (unreachable, 5xx, timeout, garbled reply).
 * Nothing about the login is known to be wrong: keep the session and try again later.
 */
public final class ProviderUnavailableException extends RuntimeException {
  public ProviderUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
