package dev.vestibule.blackbox;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the mails the gateway sent to the test's SMTP server. */
final class Mail {
  private final GreenMail smtp;

  Mail(GreenMail smtp) {
    this.smtp = smtp;
  }

  /** Every mail to {@code email}, oldest first. */
  MimeMessage[] to(String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
            .anyMatch(a -> a.toString().toLowerCase().contains(email.toLowerCase()));
      } catch (Exception e) {
        return false;
      }
    }).toArray(MimeMessage[]::new);
  }

  int count(String email) {
    return to(email).length;
  }

  /** The text of mail number {@code n} (1-based) to {@code email}, waiting up to 10 s for it. */
  String text(String email, int n) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      MimeMessage[] mails = to(email);
      if (mails.length >= n) return GreenMailUtil.getBody(mails[n - 1]).replace("=\r\n", "").replace("=3D", "=");
      pause(50);
    }
    throw new AssertionError("no mail number " + n + " to " + email + " within 10 s (got " + count(email) + ")");
  }

  /** The first group of {@code pattern} in mail number {@code n} to {@code email}, URL-decoded. */
  String find(String email, int n, Pattern pattern) {
    String text = text(email, n);
    Matcher m = pattern.matcher(text);
    if (!m.find()) throw new AssertionError("mail " + n + " to " + email + " does not match " + pattern + ":\n" + text);
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  /** How many mails {@code email} has once {@code expected} arrived or 10 s passed, plus 500 ms for strays. */
  int countSettled(String email, int expected) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (count(email) < expected && System.currentTimeMillis() < deadline) pause(50);
    pause(500);
    return count(email);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
