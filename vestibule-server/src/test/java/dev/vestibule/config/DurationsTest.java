package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void everyUnitIsUnderstood() throws ConfigException {
    assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("k", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("k", "7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void zeroNeedsNoUnit() throws ConfigException {
    assertThat(Durations.parse("k", "0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("k", "0s")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "5min", "1h30m", "PT5M", "", "s", "1.5s", "5M"})
  void otherSpellingsAreRejectedWithTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse("refresh.before", text))
        .hasMessageStartingWith("refresh.before: ")
        .hasMessageEndingWith("write it like 500ms, 30s, 5m, 2h or 7d");
  }

  @Test
  void negativeDurationIsRejected() {
    assertThatThrownBy(() -> Durations.parse("refresh.grace", "-1s"))
        .hasMessage("refresh.grace: '-1s' is negative; durations are 0 or more, write it like 500ms, 30s, 5m, 2h or 7d");
  }

  @Test
  void numberWithoutUnitAsksForOne() {
    assertThatThrownBy(() -> Durations.parse("refresh.timeout", "30"))
        .hasMessage("refresh.timeout: '30' has no unit; write it like 500ms, 30s, 5m, 2h or 7d");
  }

  @Test
  void hugeDurationIsRejectedNotOverflowed() {
    assertThatThrownBy(() -> Durations.parse("k", "99999999999999999999d")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Durations.parse("k", "9223372036854775807d")).hasMessageContaining("too large");
  }

  @Test
  void formatUsesTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
  }
}
