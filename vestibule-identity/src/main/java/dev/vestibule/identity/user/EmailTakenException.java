package dev.vestibule.identity.user;

/** Another account already has this email address (compared case-insensitively). */
public final class EmailTakenException extends Exception {
  public EmailTakenException() {
    super("email already registered", null, false, false);
  }
}
