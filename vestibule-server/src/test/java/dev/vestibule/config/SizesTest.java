package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

  @Test
  void byteCountsAndBinaryUnitsAreUnderstood() throws ConfigException {
    assertThat(Sizes.parse("k", 1048576)).isEqualTo(1_048_576L);
    assertThat(Sizes.parse("k", 5_000_000_000L)).isEqualTo(5_000_000_000L);
    assertThat(Sizes.parse("k", "1048576")).isEqualTo(1_048_576L);
    assertThat(Sizes.parse("k", "512B")).isEqualTo(512L);
    assertThat(Sizes.parse("k", "64KiB")).isEqualTo(65_536L);
    assertThat(Sizes.parse("k", "1MiB")).isEqualTo(1_048_576L);
    assertThat(Sizes.parse("k", "2GiB")).isEqualTo(2L << 30);
    assertThat(Sizes.parse("k", "64kib")).isEqualTo(65_536L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1MB", "64KB", "1GB", "1m", "64k"})
  void decimalUnitsAreRejectedWithAHintToUseBinaryOnes(String text) {
    assertThatThrownBy(() -> Sizes.parse("routes[0].maxBodyBytes", text))
        .hasMessage("routes[0].maxBodyBytes: '" + text + "' uses an ambiguous unit; use binary units: "
            + "write a byte count like 1048576, or 64KiB, 1MiB, 2GiB");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5MiB", "lots", "MiB", ""})
  void malformedSizesAreRejected(String text) {
    assertThatThrownBy(() -> Sizes.parse("k", text)).hasMessageStartingWith("k: '" + text + "' is not a size; ");
  }

  @Test
  void negativeNumbersAndOtherTypesAreRejected() {
    assertThatThrownBy(() -> Sizes.parse("k", -5)).hasMessageContaining("is negative");
    assertThatThrownBy(() -> Sizes.parse("k", 1.5)).hasMessageStartingWith("k: expected a size");
    assertThatThrownBy(() -> Sizes.parse("k", "99999999999GiB")).hasMessageContaining("too large");
  }
}
