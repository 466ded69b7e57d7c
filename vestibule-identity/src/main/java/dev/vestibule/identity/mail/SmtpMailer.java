package dev.vestibule.identity.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;

/** Sends mail through an SMTP server given as {@code smtp://[user:password@]host[:port]} or {@code smtps://...}. */
public final class SmtpMailer implements Mailer {
  private static final String TIMEOUT_MILLIS = "10000";

  private final Session session;
  private final InternetAddress from;
  private final String user;
  private final String password;

  private SmtpMailer(Session session, InternetAddress from, String user, String password) {
    this.session = session;
    this.from = from;
    this.user = user;
    this.password = password;
  }

  public static SmtpMailer of(URI url, String from) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("smtps");
    if (!tls && !scheme.equals("smtp")) throw new IllegalArgumentException("mail.smtp must be smtp://host:port or smtps://host:port");
    if (url.getHost() == null) throw new IllegalArgumentException("mail.smtp needs a host");

    Properties props = new Properties();
    props.put("mail.smtp.host", url.getHost());
    props.put("mail.smtp.port", String.valueOf(url.getPort() > 0 ? url.getPort() : tls ? 465 : 25));
    props.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
    props.put("mail.smtp.timeout", TIMEOUT_MILLIS);
    props.put("mail.smtp.writetimeout", TIMEOUT_MILLIS);
    if (tls) {
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.checkserveridentity", "true");
    }

    String user = null;
    String password = null;
    if (url.getRawUserInfo() != null) {
      String[] parts = url.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
      props.put("mail.smtp.auth", "true");
      // Credentials never cross the network in clear: on smtp:// the server must offer STARTTLS.
      if (!tls) props.put("mail.smtp.starttls.required", "true");
    }
    if (!tls) props.put("mail.smtp.starttls.enable", "true");

    try {
      return new SmtpMailer(Session.getInstance(props), new InternetAddress(from, true), user, password);
    } catch (MessagingException e) {
      throw new IllegalArgumentException("mail.from is not an email address: " + from, e);
    }
  }

  @Override
  public void send(Mail mail) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      InternetAddress to = new InternetAddress(mail.to(), true);
      // Only ever the one mailbox the account names, never a display name or a list around it.
      if (to.getPersonal() != null || !to.getAddress().equals(mail.to().strip())) {
        throw new MailDeliveryException("refusing to mail a recipient that is not a single plain address", null);
      }
      message.setRecipient(Message.RecipientType.TO, to);
      message.setSubject(mail.subject(), "UTF-8");
      message.setText(mail.text(), "UTF-8");
      message.setSentDate(new Date());
      if (user == null) Transport.send(message);
      else Transport.send(message, user, password);
    } catch (MessagingException e) {
      throw new MailDeliveryException("cannot send mail to " + mail.to() + ": " + e.getMessage(), e);
    }
  }
}
