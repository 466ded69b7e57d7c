package dev.vestibule.identity.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpMailerTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private URI smtpUrl() {
    return URI.create("smtp://127.0.0.1:" + smtp.getSmtp().getPort());
  }

  @Test
  void deliversAPlainTextMailThroughARealSmtpServer() throws Exception {
    Mailer mailer = Mailer.of(Optional.of(smtpUrl()), "vestibule@example.org");
    mailer.send(new Mail("ada@example.org", "Réinitialiser ✓", "Hello Ada,\nhttps://example.org/reset?token=abc\n"));

    assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage received = smtp.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo("Réinitialiser ✓");
    assertThat(received.getFrom()[0].toString()).isEqualTo("vestibule@example.org");
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ada@example.org");
    assertThat(GreenMailUtil.getBody(received)).contains("https://example.org/reset?token=abc");
  }

  @Test
  void aRecipientWithADisplayNameOrSeveralMailboxesIsNeverMailed() {
    Mailer mailer = Mailer.of(Optional.of(smtpUrl()), "vestibule@example.org");
    for (String to : new String[] {"x<victim@corp.com>", "Ada <ada@example.org>", "ada@example.org, victim@corp.com"}) {
      assertThatThrownBy(() -> mailer.send(new Mail(to, "s", "t"))).as(to).isInstanceOf(MailDeliveryException.class);
    }
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void credentialsAreNeverSentToAServerWithoutTls() {
    URI withCredentials = URI.create("smtp://mailer:s3cret@127.0.0.1:" + smtp.getSmtp().getPort());
    Mailer mailer = SmtpMailer.of(withCredentials, "vestibule@example.org");
    assertThatThrownBy(() -> mailer.send(new Mail("ada@example.org", "s", "t"))).isInstanceOf(MailDeliveryException.class);
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void anUnreachableServerIsAnErrorOfTheSend() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Mailer mailer = SmtpMailer.of(URI.create("smtp://127.0.0.1:" + closedPort), "vestibule@example.org");
    assertThatThrownBy(() -> mailer.send(new Mail("ada@example.org", "s", "t")))
        .isInstanceOf(MailDeliveryException.class)
        .hasMessageContaining("ada@example.org");
  }

  @Test
  void refusesUrlsThatAreNoSmtpServer() {
    assertThatThrownBy(() -> SmtpMailer.of(URI.create("http://127.0.0.1:25"), "vestibule@example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpMailer.of(URI.create("smtp://127.0.0.1:25"), "not an address"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAnSmtpUrlMailsGoToTheLog() {
    assertThat(Mailer.of(Optional.empty(), "vestibule@example.org")).isInstanceOf(LogMailer.class);
  }
}
