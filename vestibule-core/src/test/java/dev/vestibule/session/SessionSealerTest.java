package dev.vestibule.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionSealerTest {

  private static final String CURRENT = "current-secret-0123456789abcdefghijkl";
  private static final String OLD = "old-secret-0123456789abcdefghijklmnopq";
  private static final String FOREIGN = "someone-elses-secret-0123456789abcdef";
  private static final byte[] PLAIN = "{\"sid\":\"abc\",\"at\":\"token\"}".getBytes(StandardCharsets.UTF_8);

  private final SessionSealer sealer = new SessionSealer(List.of(CURRENT));

  @Test
  @DisplayName("what is sealed opens again, byte for byte, sealed with the current secret")
  void roundTrip() {
    String sealed = sealer.seal(PLAIN, "session");

    assertThat(sealed).matches("[A-Za-z0-9_-]+");
    assertThat(sealer.unseal(sealed, "session")).hasValueSatisfying(u -> {
      assertThat(u.plaintext()).isEqualTo(PLAIN);
      assertThat(u.sealedWithCurrentSecret()).isTrue();
    });
  }

  @Test
  @DisplayName("an empty plaintext and a string plaintext both round trip")
  void emptyAndStringPlaintext() {
    assertThat(sealer.unseal(sealer.seal(new byte[0], "session"), "session"))
        .hasValueSatisfying(u -> assertThat(u.plaintext()).isEmpty());
    assertThat(sealer.unseal(sealer.seal("héllo", "session"), "session"))
        .hasValueSatisfying(u -> assertThat(new String(u.plaintext(), StandardCharsets.UTF_8)).isEqualTo("héllo"));
  }

  @Test
  @DisplayName("sealing the same bytes twice gives different values (random IV)")
  void sealsDiffer() {
    assertThat(sealer.seal(PLAIN, "session")).isNotEqualTo(sealer.seal(PLAIN, "session"));
  }

  @Test
  @DisplayName("flipping any single byte of a sealed value makes it unopenable")
  void anyTamperedByteIsRefused() {
    byte[] raw = Base64.getUrlDecoder().decode(sealer.seal(PLAIN, "session"));
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      assertThat(sealer.unseal(value, "session")).as("byte %d flipped", i).isEmpty();
    }
  }

  @Test
  @DisplayName("changing any single character of the cookie text makes it unopenable, even in unused trailing bits")
  void anyTamperedCharacterIsRefused() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String sealed = sealer.seal(PLAIN, "session");
    assertThat(Base64.getUrlDecoder().decode(sealed).length % 3).as("last character has unused bits").isNotZero();
    for (int i = 0; i < sealed.length(); i++) {
      // Flipping the lowest of the 6 bits hits the unused padding bits in the last character.
      char replacement = alphabet.charAt(alphabet.indexOf(sealed.charAt(i)) ^ 1);
      String tampered = sealed.substring(0, i) + replacement + sealed.substring(i + 1);
      assertThat(sealer.unseal(tampered, "session")).as("char %d changed", i).isEmpty();
    }
  }

  @Test
  @DisplayName("a truncated or extended sealed value is refused")
  void truncatedIsRefused() {
    String sealed = sealer.seal(PLAIN, "session");
    for (int len = 0; len < sealed.length(); len++) {
      assertThat(sealer.unseal(sealed.substring(0, len), "session")).as("first %d chars", len).isEmpty();
    }
    assertThat(sealer.unseal(sealed + "A", "session")).isEmpty();
    assertThat(sealer.unseal(sealed + "==", "session")).isEmpty();
  }

  @Test
  @DisplayName("garbage, empty and null values are refused without throwing")
  void garbageIsRefused() {
    for (String junk : new String[] {null, "", " ", "=", "not base64 at all!", "%%%", "AAAA", "a.b.c",
        "AQ", Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40])}) {
      assertThat(sealer.unseal(junk, "session")).as("%s", junk).isEmpty();
    }
    assertThat(sealer.unseal(sealer.seal(PLAIN, "session"), null)).isEmpty();
  }

  @Test
  @DisplayName("a value with an unknown version byte is refused")
  void wrongVersionIsRefused() {
    byte[] raw = Base64.getUrlDecoder().decode(sealer.seal(PLAIN, "session"));
    raw[0] = 2;
    assertThat(sealer.unseal(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "session")).isEmpty();
  }

  @Test
  @DisplayName("a value sealed under a foreign secret is refused")
  void foreignSecretIsRefused() {
    String sealed = new SessionSealer(List.of(FOREIGN)).seal(PLAIN, "session");
    assertThat(sealer.unseal(sealed, "session")).isEmpty();
  }

  @Test
  @DisplayName("a value sealed for one purpose never opens as another")
  void wrongPurposeIsRefused() {
    String challenge = sealer.seal(PLAIN, "mfa-challenge");
    assertThat(sealer.unseal(challenge, "session")).isEmpty();
    assertThat(sealer.unseal(challenge, "mfa-challenge")).isPresent();
  }

  @Test
  @DisplayName("after rotation an old-secret value still opens and asks to be re-sealed")
  void rotation() {
    String sealedBefore = new SessionSealer(List.of(OLD)).seal(PLAIN, "session");
    SessionSealer rotated = new SessionSealer(List.of(CURRENT, OLD));

    assertThat(rotated.unseal(sealedBefore, "session")).hasValueSatisfying(u -> {
      assertThat(u.plaintext()).isEqualTo(PLAIN);
      assertThat(u.sealedWithCurrentSecret()).isFalse();
    });
    String resealed = rotated.seal(PLAIN, "session");
    assertThat(rotated.unseal(resealed, "session")).hasValueSatisfying(
        u -> assertThat(u.sealedWithCurrentSecret()).isTrue());
    assertThat(new SessionSealer(List.of(CURRENT)).unseal(resealed, "session")).isPresent();
    assertThat(new SessionSealer(List.of(OLD)).unseal(resealed, "session")).isEmpty();
  }

  @Test
  @DisplayName("a short secret is rejected without echoing it")
  void shortSecretIsRejected() {
    String shortSecret = "too-short-but-secret-31-chars!!";
    assertThat(shortSecret).hasSize(31);
    assertThatThrownBy(() -> new SessionSealer(List.of(CURRENT, shortSecret)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32")
        .hasMessageNotContaining(shortSecret);
    assertThatThrownBy(() -> new SessionSealer(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(new SessionSealer(List.of("x".repeat(32)))).isNotNull();
  }

  @Test
  @DisplayName("HKDF-SHA256 matches the RFC 5869 test vectors")
  void hkdfMatchesRfc5869() {
    HexFormat hex = HexFormat.of();
    byte[] case1 = SessionSealer.Hkdf.sha256(hex.parseHex("0b".repeat(22)),
        hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(hex.formatHex(case1)).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    byte[] case3 = SessionSealer.Hkdf.sha256(hex.parseHex("0b".repeat(22)), new byte[0], new byte[0], 42);
    assertThat(hex.formatHex(case3)).isEqualTo(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}
