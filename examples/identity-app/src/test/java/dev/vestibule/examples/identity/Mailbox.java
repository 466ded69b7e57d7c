package dev.vestibule.examples.identity;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the mails the identity sent through the test SMTP server. */
final class Mailbox {
  private static final Pattern CODE = Pattern.compile("\\b(\\d{7})\\b");

  private final GreenMailExtension smtp;

  Mailbox(GreenMailExtension smtp) {
    this.smtp = smtp;
  }

  /** The first link in the newest "Your login link" mail to {@code email}. */
  String loginLink(String email) throws Exception {
    Matcher link = Pattern.compile("https?://\\S+").matcher(newest(email, "Your login link"));
    if (!link.find()) throw new AssertionError("no link in the login-link mail to " + email);
    return link.group();
  }

  /** The 7-digit code in the newest "Your login code" mail to {@code email}. */
  String loginCode(String email) throws Exception {
    Matcher code = CODE.matcher(newest(email, "Your login code"));
    if (!code.find()) throw new AssertionError("no code in the login-code mail to " + email);
    return code.group(1);
  }

  /** Every mail sent to {@code email} so far. */
  List<MimeMessage> to(String email) {
    return Arrays.asList(smtp.getReceivedMessagesForDomain(email));
  }

  private String newest(String email, String subject) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      List<MimeMessage> matching = to(email).stream().filter(mail -> hasSubject(mail, subject)).toList();
      if (!matching.isEmpty()) return matching.getLast().getContent().toString();
      Thread.sleep(50);
    }
    throw new AssertionError("no mail \"" + subject + "\" to " + email + " within 10 s");
  }

  private static boolean hasSubject(MimeMessage mail, String subject) {
    try {
      return subject.equals(mail.getSubject());
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
