package dev.vestibule.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.config.ConfigException;
import dev.vestibule.config.ConfigLoader;
import dev.vestibule.server.CommandLine;
import dev.vestibule.server.Gateway;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §1, §2: the provider is discovered at start-up; when that fails, start-up stops naming identity.issuer. */
class OidcStartupTest {
  @TempDir Path dir;

  @Test
  void anUnreachableIssuerStopsServeWithExitCode2AndOneLineNamingIdentityIssuer() throws Exception {
    String yaml = new GatewayYaml().identity("type: oidc\nissuer: http://127.0.0.1:" + closedPort() + "/realms/x\n"
        + "clientId: web\nclientSecret: hunter2-client-secret\n").build();
    Path config = Files.writeString(dir.resolve("vestibule.yaml"), yaml);
    CommandLine.Outcome serve = CommandLine.run("serve", "--config", config.toString());

    String stderr = serve.stderr();
    int code = serve.exitCode();
    assertThat(code).isEqualTo(2);
    assertThat(stderr.strip().lines()).hasSize(1);
    assertThat(stderr).startsWith("vestibule: config error: identity.issuer: ")
        .contains("/realms/x/.well-known/openid-configuration").contains("reachable")
        .doesNotContain("hunter2").doesNotContain("Exception:").doesNotContain("\tat ");
  }

  @Test
  void anIssuerThatDiffersFromTheProvidersOwnIsRefusedWithTheValueToWrite() {
    try (MockIssuer issuer = new MockIssuer()) {
      String yaml = new GatewayYaml().identity(issuer.identity().replace(issuer.issuer(), issuer.issuer() + "/")).build();

      assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of()), Clock.systemUTC()))
          .isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("identity.issuer");
            assertThat(e.problem()).contains("set identity.issuer to exactly '" + issuer.issuer() + "'");
          });
    }
  }

  @Test
  void aUrlThatIsNotAnOpenIdProviderIsRefused() {
    try (EchoUpstream notAProvider = new EchoUpstream()) {
      String yaml = new GatewayYaml().identity("type: oidc\nissuer: " + notAProvider.url("/v1") + "\nclientId: web\n")
          .build();

      assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of()), Clock.systemUTC()))
          .isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("identity.issuer");
            assertThat(e.problem()).contains("has no issuer");
          });
    }
  }

  @Test
  void aDiscoveryDocumentThatIsNotFoundIsRefused() {
    try (MockIssuer issuer = new MockIssuer()) {
      String missing = issuer.server.baseUrl().toString() + "nothing-here/.well-known/openid-configuration/deeper";
      String yaml = new GatewayYaml().identity("type: oidc\nissuer: " + missing + "\nclientId: web\n").build();

      assertThatThrownBy(() -> Gateway.start(ConfigLoader.parse(yaml, Map.of()), Clock.systemUTC()))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("identity.issuer"));
    }
  }

  @Test
  void underHttpsTheLoginCookieIsSecureAndHostPrefixed() {
    try (MockIssuer issuer = new MockIssuer();
        TestGateway gateway = new TestGateway(new GatewayYaml().publicUrl("https://app.example.com")
            .identity(issuer.identity()).build())) {
      Browser.Response toProvider = new Browser(gateway.url("")).get("/auth/login");

      assertThat(toProvider.setCookie("__Host-vestibule-oidc")).contains("Secure").contains("Path=/")
          .contains("HttpOnly").contains("SameSite=Lax");
      assertThat(OidcFlow.query(java.net.URI.create(toProvider.header("Location"))))
          .containsEntry("redirect_uri", "https://app.example.com/auth/callback");
    }
  }

  @Test
  void theLoginPageOfAnOidcGatewayIsTheProvidersLogin() throws ConfigException {
    String yaml = new GatewayYaml().identity("type: oidc\nissuer: https://idp.example.com\nclientId: web\n").build();

    assertThat(ConfigLoader.parse(yaml, Map.of()).login().page()).isEqualTo("/auth/login");
    assertThat(ConfigLoader.parse(yaml + "login:\n  page: /signin\n", Map.of()).login().page()).isEqualTo("/signin");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

}
