package dev.vestibule.identity.mfa;

import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.mail.MailText;
import java.time.Duration;

/** The mail that carries a login code. */
public final class MfaMail {
  private MfaMail() {}

  public static Mail compose(MfaCodes.Issued issued, Duration ttl) {
    String text = "Hello " + issued.user().name() + ",\n\n"
        + "your login code is\n\n"
        + "    " + issued.code() + "\n\n"
        + "Enter it within " + MailText.describe(ttl) + ". It works once. If you did not just log in, someone knows "
        + "your password: change it now.\n";
    return new Mail(issued.user().email(), "Your login code", text);
  }
}
