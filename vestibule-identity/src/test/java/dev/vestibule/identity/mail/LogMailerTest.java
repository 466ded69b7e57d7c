package dev.vestibule.identity.mail;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogMailerTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(LogMailer.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = logger.getLevel();
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }

  @Test
  void warnsThatItIsForDevelopmentAndLogsTheWholeMailLinkIncluded() {
    LogMailer mailer = new LogMailer("vestibule@localhost");
    mailer.send(new Mail("ada@example.org", "Reset your password", "open https://localhost/reset-password?token=xyz"));

    assertThat(appender.list.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(appender.list.get(0).getFormattedMessage()).contains("development only");
    String logged = appender.list.get(1).getFormattedMessage();
    assertThat(logged).contains("ada@example.org", "Reset your password", "https://localhost/reset-password?token=xyz");
  }
}
