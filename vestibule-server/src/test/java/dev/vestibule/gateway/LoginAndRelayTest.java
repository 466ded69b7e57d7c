package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginAndRelayTest {
  private FakeProvider provider;
  private EchoUpstream upstream;
  private TestGateway gateway;
  private Browser browser;

  @BeforeEach
  void start() {
    provider = new FakeProvider();
    upstream = new EchoUpstream();
    upstream.acceptsToken = token -> provider.isLive(token);
    gateway = new TestGateway(TestGateway.oauth2Config(provider, """
        routes:
          - path: /api/**
            upstream: %s
        """.formatted(upstream.url("/v1"))));
    browser = new Browser(gateway.url(""));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    provider.close();
  }

  @Test
  void loggedInUserReachesTheUpstreamWithABearerTokenTheBrowserNeverSees() {
    Browser.Response login = browser.login();
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getJsonObject("user").getString("email")).isEqualTo(FakeProvider.USER);
    assertThat(login.body()).doesNotContain("at-").doesNotContain("rt-");

    Browser.Response api = browser.get("/api/things?x=1");
    assertThat(api.status()).isEqualTo(200);
    var seen = upstream.last();
    assertThat(seen.getString("uri")).isEqualTo("/v1/things?x=1");
    String authorization = seen.getJsonObject("headers").getJsonArray("authorization").getString(0);
    assertThat(authorization).startsWith("Bearer at-");
    assertThat(provider.isLive(authorization.substring(7))).isTrue();
    assertThat(seen.getJsonObject("headers").containsKey("cookie")).isFalse();
  }

  @Test
  void sessionEndpointShowsThePublicPartOnly() {
    browser.login();
    Browser.Response session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("name")).isEqualTo("Alice");
    assertThat(session.json().getString("loggedInAt")).isNotBlank();
    assertThat(session.json().getString("expiresAt")).isNotBlank();
    assertThat(session.body()).doesNotContain("at-").doesNotContain("rt-");
  }
}
