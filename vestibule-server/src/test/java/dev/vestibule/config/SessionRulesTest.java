package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionRulesTest {

  private static String session(String extra) {
    return "session:\n  secrets: [\"" + Yamls.SECRET + "\"]\n" + extra;
  }

  @Test
  void shortSecretIsRejectedWithItsLength() {
    assertThat(Yamls.error("session:\n  secrets: [short-secret]\n")).isEqualTo(
        "session.secrets[0]: must be at least 32 characters (it has 12); generate one with ./vestibule secret");
  }

  @Test
  void everySecretIsChecked() {
    assertThat(Yamls.error("session:\n  secrets: [\"" + Yamls.SECRET + "\", tiny]\n"))
        .startsWith("session.secrets[1]: must be at least 32 characters (it has 4)");
  }

  @Test
  void missingSecretsAskForOne() {
    assertThat(Yamls.error("session:\n  cookieName: x\n")).isEqualTo(
        "session.secrets: missing; generate a secret with ./vestibule secret and set it here or in VESTIBULE_SESSION_SECRET");
  }

  @Test
  void emptySecretListIsRejected() {
    assertThat(Yamls.error("session:\n  secrets: []\n"))
        .isEqualTo("session.secrets: is empty; generate a secret with ./vestibule secret and list it here");
  }

  @Test
  void secretsMustBeAList() {
    assertThat(Yamls.error("session:\n  secrets: " + Yamls.SECRET + "\n"))
        .isEqualTo("session.secrets: expected a list (like [a, b] or lines starting with '- '), got a single value");
  }

  @Test
  void allListedSecretsAreKeptInOrder() throws ConfigException {
    String second = "another-secret-that-is-long-enough-xyz";
    VestibuleConfig c = Yamls.parse("session:\n  secrets:\n    - " + Yamls.SECRET + "\n    - " + second + "\n");
    assertThat(c.session().secrets()).containsExactly(Yamls.SECRET, second);
  }

  @Test
  void cookieNameMustBeAToken() {
    assertThat(Yamls.error(session("  cookieName: 'my cookie'\n"))).isEqualTo(
        "session.cookieName: 'my cookie' is not a valid cookie name; use only letters, digits, - and _");
    assertThat(Yamls.error(session("  cookieName: __Host-s\n"))).startsWith("session.cookieName: '__Host-s' has a __Host-/__Secure- prefix");
    assertThat(Yamls.error(session("  cookieName: vestibule-csrf\n"))).startsWith("session.cookieName: 'vestibule-csrf' is the name of the CSRF cookie");
  }

  @Test
  void durationsAndSameSiteAreRead() throws ConfigException {
    SessionConfig s = Yamls.parse(session("  maxAge: 12h\n  idleTimeout: 30m\n  sameSite: strict\n  cookieName: gw_s\n"))
        .session();
    assertThat(s.maxAge()).isEqualTo(Duration.ofHours(12));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.sameSite()).isEqualTo(SameSite.STRICT);
    assertThat(s.sameSite().attribute()).isEqualTo("Strict");
    assertThat(s.cookieName()).isEqualTo("gw_s");
  }

  @Test
  void maxAgeMustBeAboveZero() {
    assertThat(Yamls.error(session("  maxAge: 0\n"))).isEqualTo("session.maxAge: must be longer than 0; write it like 30s");
  }

  @Test
  void unknownSameSiteListsTheChoices() {
    assertThat(Yamls.error(session("  sameSite: loose\n"))).isEqualTo("session.sameSite: 'loose' is not one of strict, lax, none");
  }

  @Test
  void sameSiteNoneNeedsHttps() throws ConfigException {
    assertThat(Yamls.error(session("  sameSite: None\n"))).isEqualTo("session.sameSite: None needs an https publicUrl"
        + " (browsers drop SameSite=None cookies that are not Secure); set publicUrl to https://... or use Lax");
    VestibuleConfig c = Yamls.parse(session("  sameSite: None\npublicUrl: https://gw.example.com/\n"));
    assertThat(c.session().sameSite()).isEqualTo(SameSite.NONE);
    assertThat(c.secure()).isTrue();
  }

  @Test
  void redisStoreNeedsARedisUrl() throws ConfigException {
    assertThat(Yamls.error(session("  store: redis\n"))).isEqualTo("session.store: redis needs the top-level redis: URL;"
        + " add redis: redis://host:6379 or use store: cookie");
    assertThat(Yamls.parse(session("  store: redis\nredis: redis://127.0.0.1:6379\n")).session().store())
        .isEqualTo(SessionStore.REDIS);
  }

  @Test
  void unknownStoreIsRejected() {
    assertThat(Yamls.error(session("  store: memcached\n"))).isEqualTo("session.store: 'memcached' is not one of cookie, redis");
  }

  @Test
  void toStringHidesTheSecrets() throws ConfigException {
    VestibuleConfig c = Yamls.parse(session(""));
    assertThat(c.toString()).doesNotContain(Yamls.SECRET).contains("1 hidden");
  }
}
