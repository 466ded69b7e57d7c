package dev.vestibule.identity.reset;

import dev.vestibule.identity.mail.Mail;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The mail that carries a reset link. */
public final class ResetMail {
  private ResetMail() {}

  /** The link: {@code resetPageUrl} with {@code token=...} added to its query. */
  public static String link(String resetPageUrl, String token) {
    String separator = resetPageUrl.contains("?") ? "&" : "?";
    return resetPageUrl + separator + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  public static Mail compose(PasswordResets.Issued issued, String resetPageUrl, Duration ttl) {
    String text = "Hello " + issued.user().name() + ",\n\n"
        + "someone asked to reset the password of your account. To choose a new password, open this link within "
        + describe(ttl) + ":\n\n"
        + link(resetPageUrl, issued.token()) + "\n\n"
        + "The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n";
    return new Mail(issued.user().email(), "Reset your password", text);
  }

  static String describe(Duration d) {
    if (d.toMinutes() >= 120 && d.toMinutesPart() == 0) return d.toHours() + " hours";
    if (d.toMinutes() >= 1 && d.toSecondsPart() == 0) return d.toMinutes() == 1 ? "1 minute" : d.toMinutes() + " minutes";
    return d.toSeconds() + " seconds";
  }
}
