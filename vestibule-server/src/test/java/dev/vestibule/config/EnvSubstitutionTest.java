package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

  private static VestibuleConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, env);
  }

  @Test
  void variableFillsTheSecret() throws ConfigException {
    VestibuleConfig c = parse("session:\n  secrets: [\"${S}\"]\n", Map.of("S", Yamls.SECRET));
    assertThat(c.session().secrets()).containsExactly(Yamls.SECRET);
  }

  @Test
  void missingVariableWithoutDefaultNamesKeyAndVariable() {
    assertThat(Yamls.error("session:\n  secrets: [\"${VESTIBULE_SESSION_SECRET}\"]\n")).isEqualTo(
        "session.secrets[0]: environment variable VESTIBULE_SESSION_SECRET is not set; export it or give a"
            + " default with ${VESTIBULE_SESSION_SECRET:-...}");
  }

  @Test
  void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() throws ConfigException {
    String yaml = Yamls.SESSION + "refresh:\n  timeout: ${T:-3s}\n";
    assertThat(parse(yaml, Map.of()).refresh().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(parse(yaml, Map.of("T", "")).refresh().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(parse(yaml, Map.of("T", "9s")).refresh().timeout()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void emptyDefaultMeansNotSet() throws ConfigException {
    String yaml = Yamls.SESSION + "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: web\n"
        + "  clientSecret: ${CLIENT_SECRET:-}\n";
    assertThat(parse(yaml, Map.of()).identity().clientSecret()).isEmpty();
    assertThat(parse(yaml, Map.of("CLIENT_SECRET", "abc")).identity().clientSecret()).contains("abc");
  }

  @Test
  void severalVariablesAndSurroundingTextAreCombined() throws ConfigException {
    String yaml = Yamls.SESSION + "publicUrl: https://${HOST}:${PORT:-8443}/app\n";
    assertThat(parse(yaml, Map.of("HOST", "gw.example.com")).publicUrl())
        .isEqualTo(URI.create("https://gw.example.com:8443/app"));
  }

  @Test
  void valueWithHashAndColonStaysOneString() throws ConfigException {
    String tricky = "a#b: c, 'd' \"e\" {f} [g]";
    String yaml = Yamls.SESSION + "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: web\n"
        + "  clientSecret: ${CLIENT_SECRET}\n";
    assertThat(parse(yaml, Map.of("CLIENT_SECRET", tricky)).identity().clientSecret()).contains(tricky);
  }

  @Test
  void substitutedValueIsNotExpandedAgain() throws ConfigException {
    String yaml = Yamls.SESSION + "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: ${ID}\n";
    assertThat(parse(yaml, Map.of("ID", "${OTHER}")).identity().clientId()).isEqualTo("${OTHER}");
  }

  @Test
  void typedValuesAreParsedAfterSubstitution() throws ConfigException {
    String yaml = Yamls.SESSION + """
                listen: ${LISTEN:-127.0.0.1:8081}
                routes:
                  - path: /api/**
                    upstream: http://127.0.0.1:9001
                    maxBodyBytes: ${MAX:-1MiB}
                    csrf: ${CSRF:-true}
                    dedupe: ${DEDUPE:-false}
                """;
    VestibuleConfig c = parse(yaml, Map.of("DEDUPE", "true"));
    assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 8081));
    assertThat(c.routes().get(0).maxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(c.routes().get(0).csrf()).isTrue();
    assertThat(c.routes().get(0).dedupe()).isTrue();
    assertThat(parse(yaml, Map.of("LISTEN", "[::1]:9999", "MAX", "64KiB", "CSRF", "false")).listen())
        .isEqualTo(new Listen("::1", 9999));
  }

  @Test
  void doubleDollarWritesALiteralReference() throws ConfigException {
    String yaml = Yamls.SESSION + "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: 'a$${B}'\n";
    assertThat(parse(yaml, Map.of("B", "no")).identity().clientId()).isEqualTo("a${B}");
  }

  @Test
  void dollarWithoutBraceIsKeptAsIs() throws ConfigException {
    String yaml = Yamls.SESSION + "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: 'cost$5'\n";
    assertThat(parse(yaml, Map.of()).identity().clientId()).isEqualTo("cost$5");
  }

  @Test
  void unclosedReferenceIsRejected() {
    assertThat(Yamls.errorWithSession("login:\n  page: /${PAGE\n")).isEqualTo(
        "login.page: has a '${' without its closing '}'; write ${NAME} or ${NAME:-default}, or $${ for a literal ${");
  }

  @Test
  void referenceWithABadNameIsRejected() {
    assertThat(Yamls.errorWithSession("login:\n  page: /${PAGE:default}\n")).isEqualTo(
        "login.page: has a ${...} reference without a valid variable name; write ${NAME} or ${NAME:-default},"
            + " or $${ for a literal ${");
  }

  @Test
  void keysAreNotSubstituted() {
    assertThat(Yamls.errorWithSession("${KEY}: 1\n")).startsWith("${KEY}: unknown key;");
  }
}
