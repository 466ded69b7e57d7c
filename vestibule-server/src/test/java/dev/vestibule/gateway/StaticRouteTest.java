package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticRouteTest extends GatewayTest {
  @TempDir
  Path root;

  @BeforeEach
  void startGateway() throws IOException {
    Path site = Files.createDirectories(root.resolve("public"));
    Files.writeString(site.resolve("index.html"), "<html>the app</html>");
    Files.writeString(site.resolve("app.js"), "console.log('app')");
    Files.writeString(root.resolve("secret.txt"), "TOP-SECRET");
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .staticRoute("/**", site.toString()));
  }

  @Test
  void filesAndTheIndexAreServed() {
    assertThat(browser.get("/app.js").body()).isEqualTo("console.log('app')");
    assertThat(browser.get("/").body()).isEqualTo("<html>the app</html>");
  }

  @Test
  void aBrowserNavigationToAnAppRouteGetsTheIndex() {
    var page = browser.get("/settings/profile", "Accept", "text/html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("<html>the app</html>");
    assertThat(browser.get("/missing.js").status()).isEqualTo(404);
  }

  @Test
  void theGatewaysOwnPathsAndOtherRoutesComeFirst() {
    assertThat(browser.get("/healthz").status()).isEqualTo(200);
    assertProblem(browser.get("/auth/session"), 401);
    assertProblem(browser.get("/api/things"), 401);
    login();
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
  }

  @Test
  void filesOutsideTheDirectoryAreNeverServed() {
    for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
        "/..\\secret.txt", "//../secret.txt", "/public/../secret.txt", "/./../secret.txt")) {
      String answer = RawHttp.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(answer).as(target).doesNotContain("TOP-SECRET").doesNotStartWith("HTTP/1.1 200");
    }
  }
}
