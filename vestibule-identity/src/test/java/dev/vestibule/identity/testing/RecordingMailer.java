package dev.vestibule.identity.testing;

import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.mail.Mailer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the mails it is given. */
public final class RecordingMailer implements Mailer {
  private final List<Mail> sent = new CopyOnWriteArrayList<>();

  @Override
  public void send(Mail mail) {
    sent.add(mail);
  }

  public List<Mail> sent() {
    return List.copyOf(sent);
  }
}
