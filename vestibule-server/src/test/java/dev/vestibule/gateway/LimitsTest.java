package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Bodies;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.RawHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LimitsTest extends GatewayTest {
  private int closedPort;

  @BeforeEach
  void startGateway() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(config()
        .route("/api/**", upstream.url("/v1"), "timeout: 500ms")
        .route("/small/**", upstream.url("/v1/small"), "maxBodyBytes: 1024")
        .route("/gone/**", "http://127.0.0.1:" + closedPort + "/v1"));
    login();
  }

  private String head(String requestLine, String... headers) {
    StringBuilder out = new StringBuilder(requestLine).append("\r\n")
        .append("Host: 127.0.0.1:").append(gateway.port()).append("\r\n")
        .append("Cookie: ").append(cookieHeader(browser)).append("\r\n")
        .append("X-CSRF-Token: ").append(browser.csrf()).append("\r\n");
    for (String header : headers) out.append(header).append("\r\n");
    return out.append("\r\n").toString();
  }

  private void assertSessionStillWorks(Browser.Response failed) {
    assertThat(failed.all("set-cookie")).noneMatch(GatewayTest::clears);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeItIsEvenSent() {
    String answer = RawHttp.exchange(gateway.port(),
        head("POST /small/notes HTTP/1.1", "Content-Type: text/plain", "Content-Length: 2000"));
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIs413AndNotForwarded() {
    Browser.Response response = browser.send("POST", "/small/notes",
        HttpRequest.BodyPublishers.ofString(Bodies.text(2000, 1)), "X-CSRF-Token", browser.csrf());
    assertProblem(response, 413);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aChunkedBodyThatGrowsOverTheLimitIs413AndNotForwarded() {
    StringBuilder request = new StringBuilder(head("POST /small/notes HTTP/1.1", "Content-Type: text/plain",
        "Transfer-Encoding: chunked"));
    for (int i = 0; i < 6; i++) request.append("200\r\n").append(Bodies.text(512, i)).append("\r\n");
    request.append("0\r\n\r\n");
    assertThat(RawHttp.exchange(gateway.port(), request.toString())).startsWith("HTTP/1.1 413");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void bodiesUpToTheLimitPass() {
    String exactly = Bodies.text(1024, 2);
    assertThat(browser.send("POST", "/small/notes", HttpRequest.BodyPublishers.ofString(exactly),
        "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
    assertThat(upstream.last().getString("body")).isEqualTo(exactly);
    String chunked = Bodies.text(1000, 3);
    assertThat(browser.send("POST", "/small/notes", Bodies.chunked(chunked, 0),
        "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
    assertThat(upstream.last().getString("body")).isEqualTo(chunked);
  }

  @Test
  void aSlowUpstreamIs504AndTheSessionGoesOn() {
    long started = System.nanoTime();
    Browser.Response response = browser.get("/api/slow");
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertProblem(response, 504);
    assertThat(tookMillis).isLessThan(2_500);
    assertSessionStillWorks(response);
  }

  @Test
  void anUnreachableUpstreamIs502AndTheSessionGoesOn() {
    Browser.Response response = browser.get("/gone/things");
    assertProblem(response, 502);
    assertSessionStillWorks(response);
  }

  @Test
  void requestHeadersUpTo32KiBAreAccepted() {
    String big = "x".repeat(30 * 1024);
    Browser.Response response = browser.get("/api/things", "X-Big", big);
    assertThat(response.status()).isEqualTo(200);
    assertThat(header(upstream.last(), "x-big")).containsExactly(big);
  }

  @Test
  void requestHeadersOver32KiBAre431() {
    String answer = RawHttp.exchange(gateway.port(),
        head("GET /api/things HTTP/1.1", "X-Big: " + "x".repeat(33 * 1024)));
    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(upstream.received).isEmpty();
  }
}
