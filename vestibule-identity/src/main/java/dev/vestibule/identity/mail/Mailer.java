package dev.vestibule.identity.mail;

import java.net.URI;
import java.util.Optional;

/** Sends the identity's mails: password reset links and the like. Blocking. */
public interface Mailer {
  /** @throws MailDeliveryException when the message could not be handed over */
  void send(Mail mail);

  /** The mailer for {@code mail.smtp}: SMTP when a URL is given, else the log (development only). */
  static Mailer of(Optional<URI> smtp, String from) {
    return smtp.<Mailer>map(url -> SmtpMailer.of(url, from)).orElseGet(() -> new LogMailer(from));
  }
}
