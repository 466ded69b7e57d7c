package dev.vestibule.identity.db;

/** The identity database could not be opened: unreachable, refused the credentials, or could not be migrated. */
public final class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
