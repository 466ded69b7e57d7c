package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitTest {

  @Test
  void countSlashDurationIsParsed() throws ConfigException {
    assertThat(RateLimit.parse("k", "10/1m")).isEqualTo(new RateLimit(10, Duration.ofMinutes(1)));
    assertThat(RateLimit.parse("k", "5/15m")).isEqualTo(new RateLimit(5, Duration.ofMinutes(15)));
    assertThat(RateLimit.parse("k", "5/15m").toString()).isEqualTo("5/15m");
  }

  @Test
  void textWithoutSlashIsRejected() {
    assertThatThrownBy(() -> RateLimit.parse("limits.login", "10 per minute"))
        .hasMessage("limits.login: '10 per minute' is not a rate limit; write <count>/<duration> like 10/1m");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0/1m", "-1/1m", "x/1m", "/1m", "99999999999/1m"})
  void countMustBePositive(String text) {
    assertThatThrownBy(() -> RateLimit.parse("limits.codes", text))
        .hasMessage("limits.codes: '" + text + "' needs a positive count before the '/'; write <count>/<duration> like 10/1m");
  }

  @Test
  void windowMustBeADurationAboveZero() {
    assertThatThrownBy(() -> RateLimit.parse("limits.register", "5/0"))
        .hasMessage("limits.register: '5/0' needs a window longer than 0; write <count>/<duration> like 10/1m");
    assertThatThrownBy(() -> RateLimit.parse("limits.register", "5/minute"))
        .hasMessageStartingWith("limits.register: 'minute' is not a duration");
  }
}
