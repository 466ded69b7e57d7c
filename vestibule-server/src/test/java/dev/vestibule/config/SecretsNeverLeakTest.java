package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever goes wrong, an error message never quotes a secret value. */
class SecretsNeverLeakTest {

  private static final String SHORT = "tooShort#Secret!";
  private static final String LONG = "Long-Enough-Secret-Value-0123456789-abcdef";

  @ParameterizedTest
  @ValueSource(strings = {
      "session:\n  secrets: [\"SHORT\"]\n",
      "session:\n  secrets: [\"LONG\", \"SHORT\"]\n",
      "session:\n  secrets: \"LONG\"\n",
      "session:\n  secrets: [{v: \"LONG\"}]\n",
      "session:\n  secrets: [[\"LONG\"]]\n",
      "session:\n  secrets: [\"LONG\"]\n  sameSite: none\n",
      "session:\n  secrets: [\"LONG\"]\n  secret: x\n",
      "session:\n  secrets: [\"LONG\"\n",
      "session:\n  secrets: [\"LONG\"]\n  cookieName: [\"LONG\"]\n",
      "session:\n  secrets: [\"LONG${\"]\n",
      "session:\n  secrets: [\"LONG${SHORT:x}\"]\n",
      "session:\n  secrets: [\"${ENV_SHORT}\"]\n",
      "session:\n  secrets: [\"${ENV_LONG}\"]\n  maxAge: forever\n",
      "session:\n  secrets: [\"LONG\"]\nidentity:\n  clients: [{id: a, secret: LONG, extra: 1}]\n",
      "session:\n  secrets: [\"LONG\"]\nidentity:\n  type: oauth2\n  clientSecret: LONG\n",
      "session:\n  secrets: [\"LONG\"]\nidentity:\n  database: jdbc:oracle:thin:user/LONG@db\n",
      "session:\n  secrets: [\"LONG\"]\nredis: rediss://:LONG@cache\n  x: 1\n",
      "session:\n  secrets: [\"LONG\"]\nmail:\n  smtp: smtp://u:LONG@mail\n",
      "session:\n  secrets: [\"LONG\"]\nidentity:\n  type: oauth2\n  tokenEndpoint: http://u:LONG@idp/token\n  clientId: w\n",
      "session:\n  secrets: [\"LONG\"]\nidentity:\n  database: jdbc:postgresql\n",
      "session:\n  secrets: [\"LONG\"]\n  store: redis\n",
      "session:\n  secrets: [*LONG]\n",
      "session:\n  secrets:\n    - LONG: x\n",
  })
  void errorMessagesNeverQuoteASecret(String template) {
    String yaml = template.replace("SHORT", SHORT).replace("LONG", LONG);
    String message = Yamls.error(yaml, Map.of("ENV_SHORT", SHORT, "ENV_LONG", LONG));
    assertThat(message).doesNotContain(SHORT).doesNotContain(LONG).doesNotContain("Secret-Value");
  }
}
