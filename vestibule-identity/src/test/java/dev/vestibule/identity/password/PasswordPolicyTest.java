package dev.vestibule.identity.password;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {
  private final PasswordPolicy policy = PasswordPolicy.standard();

  @Test
  void shipsAListOfAboutAThousandCommonPasswords() {
    assertThat(policy.commonPasswords()).isBetween(900, 1100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "elevenchars"})
  void refusesPasswordsUnderTwelveCharacters(String password) {
    assertThat(policy.problem(password)).isPresent();
  }

  @Test
  void countsCharactersNotBytes() {
    assertThat(policy.problem("ééééééééééé")).isPresent();
    assertThat(policy.problem("ééééééééééé✓")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"password1234", "Password1234", "QWERTYUIOP123", "123456789012", "iloveyou2024", "correcthorsebatterystaple"})
  void refusesCommonPasswordsInAnyCase(String password) {
    assertThat(policy.problem(password)).hasValueSatisfying(m -> assertThat(m).contains("too common"));
  }

  @Test
  void refusesAbsurdlyLongInput() {
    assertThat(policy.problem("x".repeat(PasswordPolicy.MAX_LENGTH + 1))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tulip-anvil-orbit-57", "my cat sleeps on the router", "Zq8#mW2!pL0v"})
  void acceptsLongUncommonPasswords(String password) {
    assertThat(policy.problem(password)).isEmpty();
  }

  @Test
  void refusesNull() {
    assertThat(policy.problem(null)).isPresent();
  }
}
