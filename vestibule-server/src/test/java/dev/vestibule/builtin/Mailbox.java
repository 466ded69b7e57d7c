package dev.vestibule.builtin;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the gateway mailed, from the real SMTP server of a test (GreenMail). */
final class Mailbox {
  private Mailbox() {}

  /** The first group of {@code pattern} in the newest mail to {@code email}, URL-decoded; waits up to 10 s for it. */
  static String newest(GreenMailExtension smtp, String email, Pattern pattern) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      MimeMessage[] mails = smtp.getReceivedMessagesForDomain(email);
      if (mails.length > 0) {
        String text = mails[mails.length - 1].getContent().toString();
        Matcher found = pattern.matcher(text);
        if (!found.find()) throw new AssertionError("the mail to " + email + " does not match " + pattern + ":\n" + text);
        return URLDecoder.decode(found.group(1), StandardCharsets.UTF_8);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail to " + email + " within 10 s");
  }

  /** How many mails went to {@code email}. */
  static int count(GreenMailExtension smtp, String email) {
    return smtp.getReceivedMessagesForDomain(email).length;
  }

  /** How many mails went to {@code email}, once {@code expected} arrived (or 10 s passed) and 300 ms more for strays. */
  static int countAfterWaitingFor(GreenMailExtension smtp, String email, int expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (count(smtp, email) < expected && System.currentTimeMillis() < deadline) Thread.sleep(50);
    Thread.sleep(300);
    return count(smtp, email);
  }
}
