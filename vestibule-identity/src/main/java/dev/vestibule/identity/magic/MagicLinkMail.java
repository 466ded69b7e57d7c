package dev.vestibule.identity.magic;

import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.mail.MailText;
import java.time.Duration;

/** The mail that carries a login link. */
public final class MagicLinkMail {
  private MagicLinkMail() {}

  public static Mail compose(MagicLinks.Issued issued, String verifyUrl, Duration ttl) {
    String text = "Hello " + issued.user().name() + ",\n\n"
        + "to log in, open this link within " + MailText.describe(ttl) + ":\n\n"
        + MailText.link(verifyUrl, issued.token()) + "\n\n"
        + "The link works once. If you did not ask for it, ignore this mail: nobody can log in without it.\n";
    return new Mail(issued.user().email(), "Your login link", text);
  }
}
