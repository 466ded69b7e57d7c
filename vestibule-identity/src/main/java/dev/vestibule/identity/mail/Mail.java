package dev.vestibule.identity.mail;

import java.util.Objects;

/** A plain-text message to one recipient. */
public record Mail(String to, String subject, String text) {
  public Mail {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
  }
}
