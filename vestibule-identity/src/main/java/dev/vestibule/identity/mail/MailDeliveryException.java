package dev.vestibule.identity.mail;

/** A mail could not be handed over to the mail server. */
public final class MailDeliveryException extends RuntimeException {
  public MailDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
