package dev.vestibule.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Chromium;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium opens a protected page, is sent to the OpenID provider (another site: localhost against
 * the gateway's 127.0.0.1), comes back through /auth/callback, and lands on the page it asked for: the SameSite=Lax
 * login cookie survives the cross-site redirect back.
 */
class OidcInChromiumTest {

  @TempDir Path profile;
  private MockIssuer issuer;
  private EchoUpstream upstream;
  private TestGateway gateway;
  private WebDriver browser;
  private String base;

  @BeforeEach
  void start() throws Exception {
    issuer = new MockIssuer();
    upstream = new EchoUpstream();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    gateway = new TestGateway(new GatewayYaml().publicUrl(base).identity(issuer.identity())
        .route("/api/**", upstream.url("/v1"), "auth: required").build()
        .replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + port));
    browser = Chromium.start(profile);
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (issuer != null) issuer.close();
  }

  @Test
  void aProtectedPageSendsTheBrowserToTheProviderAndBackToThatPageLoggedIn() {
    issuer.nextLogin("bea", Map.of("email", "bea@example.com"), 300);

    browser.get(base + "/api/things?x=1");

    new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlToBe(base + "/api/things?x=1"));
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("Bearer eyJ").contains("/v1/things?x=1");
    browser.get(base + "/auth/session");
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("bea@example.com");
    assertThat(browser.manage().getCookieNamed("vestibule-oidc")).isNull();
  }
}
