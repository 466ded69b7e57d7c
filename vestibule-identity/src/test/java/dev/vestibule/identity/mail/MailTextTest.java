package dev.vestibule.identity.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailTextTest {
  @Test
  void theLinkAddsTheTokenToThePageUrl() {
    assertThat(MailText.link("https://app.example.org/reset-password", "abc_-1"))
        .isEqualTo("https://app.example.org/reset-password?token=abc_-1");
    assertThat(MailText.link("https://app.example.org/reset-password?lang=fr", "abc"))
        .isEqualTo("https://app.example.org/reset-password?lang=fr&token=abc");
  }

  @Test
  void describesDurationsInWords() {
    assertThat(MailText.describe(Duration.ofMinutes(1))).isEqualTo("1 minute");
    assertThat(MailText.describe(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    assertThat(MailText.describe(Duration.ofHours(3))).isEqualTo("3 hours");
    assertThat(MailText.describe(Duration.ofSeconds(45))).isEqualTo("45 seconds");
  }
}
