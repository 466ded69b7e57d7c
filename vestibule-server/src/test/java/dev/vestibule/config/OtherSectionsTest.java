package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OtherSectionsTest {

  @Test
  void publicUrlLosesItsTrailingSlash() throws ConfigException {
    assertThat(Yamls.withSession("publicUrl: https://gw.example.com/\n").publicUrl()).isEqualTo(URI.create("https://gw.example.com"));
    assertThat(Yamls.withSession("publicUrl: HTTPS://gw.example.com/app/\n").publicUrl())
        .isEqualTo(URI.create("https://gw.example.com/app"));
  }

  @Test
  void publicUrlMustBeAbsoluteHttpWithoutQuery() {
    assertThat(Yamls.errorWithSession("publicUrl: gw.example.com\n"))
        .isEqualTo("publicUrl: 'gw.example.com' is not an absolute http(s) URL; write it like https://host:port/path");
    assertThat(Yamls.errorWithSession("publicUrl: https://gw.example.com/?a=b\n"))
        .isEqualTo("publicUrl: 'https://gw.example.com/?a=b' must not have a ?query; remove it");
    assertThat(Yamls.errorWithSession("publicUrl: https://gw.example.com/#top\n"))
        .isEqualTo("publicUrl: 'https://gw.example.com/#top' must not have a #fragment; remove it");
  }

  @Test
  void badListenIsRejected() {
    assertThat(Yamls.errorWithSession("listen: localhost\n")).startsWith("listen: 'localhost' has no port;");
  }

  @Test
  void trustedProxiesAreParsed() throws Exception {
    VestibuleConfig c = Yamls.withSession("trustedProxies: [10.0.0.0/8, '::1', 192.168.0.7]\n");
    assertThat(c.trustedProxies()).hasSize(3);
    assertThat(c.trustedProxies().get(0).contains(InetAddress.getByName("10.2.3.4"))).isTrue();
    assertThat(Yamls.errorWithSession("trustedProxies: [10.0.0.0/8, proxy.local]\n")).startsWith(
        "trustedProxies[1]: 'proxy.local' is not an IP address or network;");
  }

  @Test
  void refreshTimeoutMustBeAboveZero() throws ConfigException {
    assertThat(Yamls.errorWithSession("refresh:\n  timeout: 0\n")).isEqualTo("refresh.timeout: must be longer than 0; write it like 30s");
    RefreshConfig r = Yamls.withSession("refresh:\n  before: 0\n  grace: 5s\n  timeout: 500ms\n").refresh();
    assertThat(r).isEqualTo(new RefreshConfig(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMillis(500)));
  }

  @Test
  void limitsAreParsed() throws ConfigException {
    assertThat(Yamls.withSession("limits:\n  login: 3/30s\n").limits().login()).isEqualTo(new RateLimit(3, Duration.ofSeconds(30)));
    assertThat(Yamls.errorWithSession("limits:\n  codes: five per minute\n")).startsWith("limits.codes: 'five per minute' is not a rate limit");
  }

  @Test
  void smtpUrlIsReadWithCredentials() throws ConfigException {
    MailConfig m = Yamls.withSession("mail:\n  smtp: smtps://user:pw@mail.example.com:465\n  from: gw@example.com\n").mail();
    assertThat(m.smtp()).contains(URI.create("smtps://user:pw@mail.example.com:465"));
    assertThat(m.logOnly()).isFalse();
    assertThat(m.from()).isEqualTo("gw@example.com");
    assertThat(m.toString()).doesNotContain("pw@");
  }

  @Test
  void smtpMustBeLogOrAnSmtpUrlWithPort() {
    assertThat(Yamls.errorWithSession("mail:\n  smtp: mail.example.com\n")).isEqualTo("mail.smtp: 'mail.example.com' is not an"
        + " absolute smtp:// or smtps:// URL (or log); write it like smtp://mail.example.com:587");
    assertThat(Yamls.errorWithSession("mail:\n  smtp: smtp://mail.example.com\n")).startsWith("mail.smtp: 'smtp://mail.example.com' has no port;");
    assertThat(Yamls.errorWithSession("mail:\n  smtp: smtp://user:pw@mail.example.com\n"))
        .startsWith("mail.smtp: 'smtp://***@mail.example.com' has no port;").doesNotContain("pw");
  }

  @Test
  void fromMustBeAnAddress() {
    assertThat(Yamls.errorWithSession("mail:\n  from: vestibule\n"))
        .isEqualTo("mail.from: 'vestibule' is not a mail address; write it like vestibule@example.com");
  }

  @Test
  void redisMustBeARedisUrl() throws ConfigException {
    assertThat(Yamls.withSession("redis: rediss://:pw@cache:6380\n").redis()).contains(URI.create("rediss://:pw@cache:6380"));
    assertThat(Yamls.errorWithSession("redis: http://cache:6379\n")).isEqualTo(
        "redis: 'http://cache:6379' is not an absolute redis:// or rediss:// URL; write it like redis://127.0.0.1:6379");
    assertThat(Yamls.errorWithSession("redis: 'cache:6379 x'\n")).startsWith("redis: 'cache:6379 x' is not an absolute redis://");
    assertThat(Yamls.withSession("redis: ${REDIS_URL:-}\n").redis()).isEmpty();
  }

  @Test
  void redisTakesAKeyPrefixAndNoOtherQuery() throws ConfigException {
    URI url = Yamls.withSession("redis: redis://cache:6379/2?prefix=shop-eu\n").redis().orElseThrow();
    assertThat(RedisUrl.prefix(url)).isEqualTo("shop-eu");
    assertThat(RedisUrl.connectionString(url)).isEqualTo("redis://cache:6379/2");
    assertThat(RedisUrl.prefix(URI.create("redis://cache:6379"))).isEqualTo("vestibule");
    assertThat(Yamls.errorWithSession("redis: redis://cache:6379?db=2\n"))
        .startsWith("redis: the only query the redis: URL takes is ?prefix=name");
    assertThat(Yamls.errorWithSession("redis: redis://cache:6379?prefix=a*b\n")).startsWith("redis: the only query");
  }

  @Test
  void loginPageMustBeALocalPath() throws ConfigException {
    assertThat(Yamls.withSession("login:\n  page: /signin\n").login().page()).isEqualTo("/signin");
    assertThat(Yamls.errorWithSession("login:\n  page: https://evil.example/login\n")).isEqualTo(
        "login.page: 'https://evil.example/login' must be a path on this site starting with a single /, like /login");
    assertThat(Yamls.errorWithSession("login:\n  page: //evil.example/login\n"))
        .startsWith("login.page: '//evil.example/login' must be a path on this site");
    assertThat(Yamls.errorWithSession("login:\n  page: '/\\evil.example'\n")).startsWith("login.page: '/\\evil.example' must be a path on this site");
    assertThat(Yamls.errorWithSession("login:\n  page: /login?x=1\n"))
        .isEqualTo("login.page: '/login?x=1' must be a plain path without ?query, #fragment, spaces or \\, like /login");
  }
}
