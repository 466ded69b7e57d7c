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
      "ada@.example.org", "ada@example.org.", "ada@exa mple.org", "ada\u3000lovelace@example.org"})
  void refusesWhatIsNoAddress(String email) {
    assertThat(EmailAddresses.isValid(email)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"x<victim@corp.com>", "Ada <victim@corp.com>", "x@y.org,victim@corp.com",
      "x@y.org;victim@corp.com", "undisclosed:victim@corp.com;", "\"victim@corp.com\"@y.org", "x(victim@corp.com)@y.org",
      "x@[10.0.0.1].org", "x\\y@corp.com"})
  void refusesWhatAMailerWouldReadAsAnotherRecipient(String email) {
    assertThat(EmailAddresses.isValid(email)).isFalse();
  }

  @Test
  void acceptsInternationalAddresses() {
    assertThat(EmailAddresses.isValid("josé@exämple.org")).isTrue();
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
