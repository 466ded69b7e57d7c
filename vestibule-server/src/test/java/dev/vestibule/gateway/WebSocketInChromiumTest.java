package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Chromium;
import dev.vestibule.testing.FakeProvider;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * A real headless Chromium logs in with fetch and opens a WebSocket through the gateway: its session cookie goes
 * with the handshake, the upstream gets the token. A page of another origin on the same site (another port, so the
 * browser still sends the SameSite=Lax cookie) cannot open one.
 */
class WebSocketInChromiumTest extends GatewayTest {
  // Logs in, opens a WebSocket, sends one message after the upstream's greeting, and reports what came back.
  private static final String LOGIN_AND_TALK = """
      const [url, email, password, done] = arguments;
      (async () => {
        let login = 0;
        if (email) {
          const answer = await fetch('/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({email, password})});
          login = answer.status;
        }
        const messages = [];
        const socket = new WebSocket(url);
        socket.onmessage = event => {
          messages.push(event.data);
          if (messages.length === 1) socket.send('from chromium');
          if (messages.length === 2) socket.close(1000);
        };
        socket.onclose = event => done({login, messages, code: event.code});
      })();
      """;

  @TempDir Path profile;
  private WebDriver chromium;

  @BeforeEach
  void startBrowser() {
    start(config().route("/api/**", upstream.url("/v1")));
    chromium = Chromium.start(profile);
    chromium.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  @AfterEach
  void stopBrowser() {
    if (chromium != null) chromium.quit();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> run(String page, String webSocketUrl, String email, String password) {
    chromium.get(page);
    return (Map<String, Object>) ((JavascriptExecutor) chromium)
        .executeAsyncScript(LOGIN_AND_TALK, webSocketUrl, email, password);
  }

  @Test
  void aLoggedInPageTalksToTheUpstreamOverAWebSocketWithTheSessionsToken() {
    String webSocket = "ws://127.0.0.1:" + gateway.port() + "/api/live";
    Map<String, Object> result = run(gateway.url("/healthz"), webSocket, FakeProvider.USER, FakeProvider.PASSWORD);

    assertThat(result.get("login")).isEqualTo(200L);
    List<String> messages = (List<String>) result.get("messages");
    assertThat(messages).hasSize(2);
    JsonObject seen = new JsonObject(messages.get(0));
    assertThat(provider.isLive(bearer(seen))).isTrue();
    assertThat(header(seen, "origin")).containsExactly("http://127.0.0.1:" + gateway.port());
    assertThat(header(seen, "cookie")).isEmpty();
    assertThat(messages.get(1)).isEqualTo("echo:from chromium");
    assertThat(result.get("code")).isEqualTo(1000L);
  }

  @Test
  void aPageOfAnotherOriginCannotOpenOneWithTheUsersCookie() {
    String webSocket = "ws://127.0.0.1:" + gateway.port() + "/api/live";
    assertThat(run(gateway.url("/healthz"), webSocket, FakeProvider.USER, FakeProvider.PASSWORD).get("messages"))
        .asList().hasSize(2);
    int accepted = upstream.received.size();

    Map<String, Object> result = run(upstream.url("/v1/elsewhere"), webSocket, null, null);

    assertThat((List<?>) result.get("messages")).isEmpty();
    assertThat(result.get("code")).isEqualTo(1006L);
    // Refused for its origin (403), not for a missing cookie (401): the browser did send the session.
    assertThat(browser.get("/metrics").body())
        .contains("vestibule_requests_total{route=\"/api/**\",status=\"403\"} 1.0")
        .doesNotContain("status=\"401\"");
    assertThat(upstream.received.stream().skip(accepted)).noneMatch(seen -> "WEBSOCKET".equals(seen.getString("method")));
  }
}
