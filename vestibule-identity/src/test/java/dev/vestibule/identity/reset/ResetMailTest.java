package dev.vestibule.identity.reset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.mail.Mail;
import dev.vestibule.identity.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResetMailTest {
  private final User ada = new User("u-1", "Ada", "ada@example.org", List.of("user"), Instant.EPOCH, Instant.EPOCH);

  @Test
  void theMailGoesToTheUserWithTheLinkAndHowLongItWorks() {
    Mail mail = ResetMail.compose(new PasswordResets.Issued(ada, "tok", Instant.EPOCH), "https://a.example/reset-password",
        Duration.ofMinutes(30));
    assertThat(mail.to()).isEqualTo("ada@example.org");
    assertThat(mail.text()).contains("https://a.example/reset-password?token=tok", "30 minutes", "Ada");
  }
}
