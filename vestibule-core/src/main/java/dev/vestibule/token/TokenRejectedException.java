package dev.vestibule.token;

/**
 * The identity provider refused a grant for good (wrong credentials, a dead or revoked refresh token).
 * Retrying with the same input cannot succeed; the login is over.
 */
public final class TokenRejectedException extends RuntimeException {
  private final String error;

  public TokenRejectedException(String error, String description) {
    super(description == null || description.isBlank() ? error : error + ": " + description, null, false, false);
    this.error = error;
  }

  /** The OAuth2 error code, e.g. {@code invalid_grant}. */
  public String error() {
    return error;
  }
}
