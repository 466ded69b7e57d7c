package dev.vestibule.identity.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each mail, links and codes included, to the log instead of sending it. For development only: whoever
 * reads the log can use every link in it.
 */
public final class LogMailer implements Mailer {
  private static final Logger log = LoggerFactory.getLogger(LogMailer.class);
  private final String from;

  public LogMailer(String from) {
    this.from = from;
    log.warn("mail.smtp is 'log': mails, with their links and codes, go to this log instead of being sent. "
        + "For development only; set mail.smtp to smtp://host:port in production.");
  }

  @Override
  public void send(Mail mail) {
    log.info("mail (log outbox) from {} to {}\nSubject: {}\n\n{}", from, mail.to(), mail.subject(), mail.text());
  }
}
