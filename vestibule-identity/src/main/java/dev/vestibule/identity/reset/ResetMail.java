package dev.vestibule.identity.reset;

import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.mail.MailText;
import java.time.Duration;

/** The mail that carries a reset link. */
public final class ResetMail {
  private ResetMail() {}

  public static Mail compose(PasswordResets.Issued issued, String resetPageUrl, Duration ttl) {
    String text = "Hello " + issued.user().name() + ",\n\n"
        + "someone asked to reset the password of your account. To choose a new password, open this link within "
        + MailText.describe(ttl) + ":\n\n"
        + MailText.link(resetPageUrl, issued.token()) + "\n\n"
        + "The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n";
    return new Mail(issued.user().email(), "Reset your password", text);
  }
}
