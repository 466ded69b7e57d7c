package dev.vestibule.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyExpiryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void anInstantIsTakenAsItIs() {
    assertThat(KeyExpiry.parse("2027-01-31T00:00:00Z", NOW)).contains(Instant.parse("2027-01-31T00:00:00Z"));
  }

  @Test
  void aDurationCountsFromNow() {
    assertThat(KeyExpiry.parse("P90D", NOW)).contains(NOW.plus(Duration.ofDays(90)));
    assertThat(KeyExpiry.parse("PT12H", NOW)).contains(NOW.plus(Duration.ofHours(12)));
  }

  @Test
  void nothingMeansNever() {
    assertThat(KeyExpiry.parse(null, NOW)).isEmpty();
    assertThat(KeyExpiry.parse(" ", NOW)).isEmpty();
  }

  @Test
  void thePastNowAndNonsenseAreRefused() {
    assertThatThrownBy(() -> KeyExpiry.parse("2026-03-01T12:00:00Z", NOW)).hasMessageContaining("future");
    assertThatThrownBy(() -> KeyExpiry.parse("-P1D", NOW)).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> KeyExpiry.parse("PT-1H", NOW)).hasMessageContaining("future");
    assertThatThrownBy(() -> KeyExpiry.parse("90d", NOW)).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> KeyExpiry.parse("2027-01-31", NOW)).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> KeyExpiry.parse("P999999999999D", NOW)).hasMessage("That is too far in the future.");
  }
}
