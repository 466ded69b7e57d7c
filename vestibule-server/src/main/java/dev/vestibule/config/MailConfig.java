package dev.vestibule.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing mail of the built-in identity. {@code smtp} is an {@code smtp://} or {@code smtps://} URL with host
 * and port (it may carry {@code user:password@}); empty means "log": messages go to the log (development only).
 */
public record MailConfig(Optional<URI> smtp, String from) {

  public MailConfig {
    Objects.requireNonNull(smtp, "smtp");
    Objects.requireNonNull(from, "from");
  }

  public boolean logOnly() {
    return smtp.isEmpty();
  }

  @Override
  public String toString() {
    return "MailConfig[smtp=" + (logOnly() ? "log" : Redact.url(smtp.get())) + ", from=" + from + "]";
  }
}
