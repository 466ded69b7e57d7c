package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultsTest {

  @Test
  void onlySecretsGivenEverythingElseDefaults() throws ConfigException {
    VestibuleConfig c = Yamls.parse(Yamls.SESSION);

    assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 8080));
    assertThat(c.publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(c.trustedProxies()).isEmpty();
    assertThat(c.session()).isEqualTo(new SessionConfig(List.of(Yamls.SECRET), "vestibule", Duration.ofDays(7),
        Duration.ZERO, SameSite.LAX, SessionStore.COOKIE));
    IdentityConfig id = c.identity();
    assertThat(id.type()).isEqualTo(IdentityType.BUILTIN);
    assertThat(id.database()).isEqualTo("jdbc:sqlite:./data/vestibule.db");
    assertThat(id.accessTokenTtl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(id.refreshTokenTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(id.clients()).containsExactly(new ClientConfig("web", Optional.empty()));
    assertThat(id.magicLinkTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(id.resetTtl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(id.mfaCodeTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.refresh()).isEqualTo(new RefreshConfig(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(10)));
    assertThat(c.limits().login()).isEqualTo(new RateLimit(10, Duration.ofMinutes(1)));
    assertThat(c.limits().register()).isEqualTo(new RateLimit(5, Duration.ofMinutes(1)));
    assertThat(c.limits().codes()).isEqualTo(new RateLimit(5, Duration.ofMinutes(15)));
    assertThat(c.mail()).isEqualTo(new MailConfig(Optional.empty(), "vestibule@localhost"));
    assertThat(c.redis()).isEmpty();
    assertThat(c.routes()).isEmpty();
    assertThat(c.login().page()).isEqualTo("/login");
  }

  @Test
  void emptyFileAppliesDefaultsThenAsksForTheSecret() {
    String expected = "session.secrets: missing; generate a secret with ./vestibule secret and set it here or in"
        + " VESTIBULE_SESSION_SECRET";
    assertThat(Yamls.error("")).isEqualTo(expected);
    assertThat(Yamls.error("# only a comment\n")).isEqualTo(expected);
  }

  @Test
  void publicUrlDefaultFollowsTheListenPort() throws ConfigException {
    assertThat(Yamls.withSession("listen: 0.0.0.0:9000\n").publicUrl()).isEqualTo(URI.create("http://localhost:9000"));
    assertThat(Yamls.withSession("listen: 0.0.0.0:80\n").publicUrl()).isEqualTo(URI.create("http://localhost"));
  }

  @Test
  void sectionsWrittenAsNullOrEmptyStillGetDefaults() throws ConfigException {
    VestibuleConfig c = Yamls.withSession("identity:\nrefresh: {}\nroutes:\nlimits: ~\n");
    assertThat(c.identity().type()).isEqualTo(IdentityType.BUILTIN);
    assertThat(c.refresh().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.routes()).isEmpty();
  }

  @Test
  void oidcScopesDefaultToTheUsualSet() throws ConfigException {
    IdentityConfig id = Yamls.withSession("identity: {type: oidc, issuer: 'https://idp.example.com', clientId: web}\n")
        .identity();
    assertThat(id.scopes()).containsExactly("openid", "profile", "email", "offline_access");
    assertThat(id.clientAuth()).isEqualTo(ClientAuth.BASIC);
  }

  @Test
  void parsedCollectionsAreImmutable() throws ConfigException {
    VestibuleConfig c = Yamls.withSession("trustedProxies: [10.0.0.0/8]\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.trustedProxies().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.session().secrets().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
