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
  void theLinkAddsTheTokenToThePageUrl() {
    assertThat(ResetMail.link("https://app.example.org/reset-password", "abc_-1"))
        .isEqualTo("https://app.example.org/reset-password?token=abc_-1");
    assertThat(ResetMail.link("https://app.example.org/reset-password?lang=fr", "abc"))
        .isEqualTo("https://app.example.org/reset-password?lang=fr&token=abc");
  }

  @Test
  void theMailGoesToTheUserWithTheLinkAndHowLongItWorks() {
    Mail mail = ResetMail.compose(new PasswordResets.Issued(ada, "tok", Instant.EPOCH), "https://a.example/reset-password",
        Duration.ofMinutes(30));
    assertThat(mail.to()).isEqualTo("ada@example.org");
    assertThat(mail.text()).contains("https://a.example/reset-password?token=tok", "30 minutes", "Ada");
  }

  @Test
  void describesDurationsInWords() {
    assertThat(ResetMail.describe(Duration.ofMinutes(1))).isEqualTo("1 minute");
    assertThat(ResetMail.describe(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    assertThat(ResetMail.describe(Duration.ofHours(3))).isEqualTo("3 hours");
    assertThat(ResetMail.describe(Duration.ofSeconds(45))).isEqualTo("45 seconds");
  }
}
