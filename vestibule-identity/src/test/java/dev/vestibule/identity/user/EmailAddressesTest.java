package dev.vestibule.identity.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {
  @ParameterizedTest
  @ValueSource(strings = {"ada@example.org", "Ada.Lovelace+notes@mail.example.co.uk", " ada@example.org ", "a@b.io"})
  void acceptsUsualAddresses(String email) {
    assertThat(EmailAddresses.isValid(email)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ada", "ada@", "@example.org", "ada@example", "ada@@example.org", "ada lovelace@example.org",
      "ada@.example.org", "ada@example.org.", "ada@exa mple.org"})
  void refusesWhatIsNoAddress(String email) {
    assertThat(EmailAddresses.isValid(email)).isFalse();
  }

  @Test
  void refusesNullAndOverlongAddresses() {
    assertThat(EmailAddresses.isValid(null)).isFalse();
    assertThat(EmailAddresses.isValid("a".repeat(60) + "@" + "b".repeat(200) + ".org")).isFalse();
  }

  @Test
  void theLookupKeyIgnoresCaseAndSurroundingSpace() {
    assertThat(EmailAddresses.key(" Ada@Example.ORG ")).isEqualTo("ada@example.org");
  }
}
