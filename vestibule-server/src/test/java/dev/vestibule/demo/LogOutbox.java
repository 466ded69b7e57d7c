package dev.vestibule.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vestibule.identity.mail.LogMailer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Reads the mails the embedded default writes to its log (mail.smtp: log), as its user would. */
final class LogOutbox {
  private static final Pattern CODE = Pattern.compile("\\b([0-9]{7})\\b");
  private static final Pattern LINK = Pattern.compile("(https?://\\S+/auth/magic-link/verify\\?token=\\S+)");

  private final Logger logger = (Logger) LoggerFactory.getLogger(LogMailer.class);
  private final ListAppender<ILoggingEvent> mails = new ListAppender<>();
  private Level levelBefore;

  private LogOutbox() {}

  static LogOutbox attach() {
    LogOutbox outbox = new LogOutbox();
    outbox.mails.start();
    outbox.levelBefore = outbox.logger.getLevel();
    outbox.logger.setLevel(Level.INFO);
    outbox.logger.addAppender(outbox.mails);
    return outbox;
  }

  void detach() {
    logger.detachAppender(mails);
    logger.setLevel(levelBefore);
  }

  String awaitCode(String to) throws InterruptedException {
    return await(to, "Your login code", CODE);
  }

  String awaitLink(String to) throws InterruptedException {
    return await(to, "Your login link", LINK);
  }

  private String await(String to, String subject, Pattern pattern) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      List<ILoggingEvent> logged = List.copyOf(mails.list);
      for (int i = logged.size() - 1; i >= 0; i--) {
        String text = logged.get(i).getFormattedMessage();
        if (!text.contains(" to " + to + "\n") || !text.contains("Subject: " + subject)) continue;
        Matcher found = pattern.matcher(text.substring(text.indexOf("Subject: ")));
        if (found.find()) return found.group(1);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail '" + subject + "' to " + to + " in the log within 10 s");
  }
}
