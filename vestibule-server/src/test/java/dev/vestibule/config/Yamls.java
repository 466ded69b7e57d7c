package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.assertj.core.api.Assertions;

/** Test helpers: a valid secret and short ways to parse or fail. */
final class Yamls {

  static final String SECRET = "Zq8-secret-value-4f1c9e2b7d6a5f3e0c8b";
  static final String SESSION = "session:\n  secrets: [\"" + SECRET + "\"]\n";

  private Yamls() {
  }

  static VestibuleConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, Map.of());
  }

  /** Parses {@code yaml} with a valid session block in front. */
  static VestibuleConfig withSession(String yaml) throws ConfigException {
    return parse(SESSION + yaml);
  }

  static String error(String yaml) {
    return error(yaml, Map.of());
  }

  static String error(String yaml, Map<String, String> env) {
    try {
      ConfigLoader.parse(yaml, env);
    } catch (ConfigException e) {
      Assertions.assertThat(e.getMessage()).doesNotContain("\n").startsWith(e.key() + ": ");
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  /** The error for {@code yaml} with a valid session block in front. */
  static String errorWithSession(String yaml) {
    return error(SESSION + yaml);
  }

  static void assertFailsWith(String yaml, String message) {
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
