package dev.vestibule.gateway;

import static dev.vestibule.testing.Bodies.chunked;
import static dev.vestibule.testing.Bodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyBodyTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config().route("/api/**", upstream.url("/v1")));
    login();
  }

  @Test
  void aJsonPostArrivesIntact() {
    String body = "{\"title\":\"Grüße, \\\"quoted\\\" & more\",\"n\":[1,2,3]}";
    Browser.Response response = browser.post("/api/notes", body, "X-CSRF-Token", browser.csrf());
    assertThat(response.status()).isEqualTo(200);
    JsonObject seen = upstream.last();
    assertThat(seen.getString("method")).isEqualTo("POST");
    assertThat(seen.getString("uri")).isEqualTo("/v1/notes");
    assertThat(seen.getString("body")).isEqualTo(body);
    assertThat(header(seen, "content-type")).containsExactly("application/json");
  }

  @Test
  void everyMethodAndItsBodyArriveAsSent() {
    for (String method : List.of("PUT", "PATCH", "DELETE")) {
      String body = method.toLowerCase() + "-body";
      Browser.Response response = browser.send(method, "/api/notes/7", HttpRequest.BodyPublishers.ofString(body),
          "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain");
      assertThat(response.status()).as(method).isEqualTo(200);
      assertThat(upstream.last().getString("method")).isEqualTo(method);
      assertThat(upstream.last().getString("body")).isEqualTo(body);
    }
  }

  @Test
  void a512KiBBodyArrivesIntact() {
    String body = text(512 * 1024, 42);
    Browser.Response response = browser.send("POST", "/api/upload", HttpRequest.BodyPublishers.ofString(body),
        "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain");
    assertThat(response.status()).isEqualTo(200);
    assertThat(upstream.last().getString("body")).isEqualTo(body);
    assertThat(response.json().getString("body")).as("the answer came back whole too").isEqualTo(body);
  }

  @Test
  void aChunkedUploadArrivesIntact() {
    String body = text(200 * 1024, 7);
    Browser.Response response = browser.send("POST", "/api/upload", chunked(body, 0),
        "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain");
    assertThat(response.status()).isEqualTo(200);
    assertThat(upstream.last().getString("body")).isEqualTo(body);
  }

  @Test
  void anUploadStreamsToTheUpstreamBeforeTheClientHasFinished() {
    String head = "POST /api/upload-timing HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Cookie: " + cookieHeader(browser) + "\r\n"
        + "X-CSRF-Token: " + browser.csrf() + "\r\n"
        + "Content-Type: text/plain\r\n"
        + "Transfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n";
    String firstHalf = "8000\r\n" + text(0x8000, 3) + "\r\n";
    String secondHalf = "8000\r\n" + text(0x8000, 4) + "\r\n0\r\n\r\n";
    String answer = RawHttp.exchangeInParts(gateway.port(), 1_200, head + firstHalf, secondHalf);
    assertThat(answer).startsWith("HTTP/1.1 200");
    JsonObject timing = new JsonObject(RawHttp.body(answer));
    assertThat(timing.getLong("bytes")).isEqualTo(0x10000);
    assertThat(timing.getLong("endAt") - timing.getLong("firstChunkAt"))
        .as("ms between the first bytes and the end of the body at the upstream").isGreaterThan(800);
  }

  @Test
  void aDownloadStreamsToTheClientBeforeTheUpstreamHasFinished() throws Exception {
    HttpResponse<InputStream> response = browser.stream("/api/download?chunks=20");
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    long firstAt = 0;
    long lastAt = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lastAt = System.nanoTime();
        if (lines.isEmpty()) firstAt = lastAt;
        lines.add(line);
      }
    }
    assertThat(lines).hasSize(20).startsWith("chunk-0").endsWith("chunk-19");
    // The upstream spends 1.9 s between its first and last chunk; a buffering proxy would deliver both at once.
    assertThat((lastAt - firstAt) / 1_000_000).as("ms from the first chunk to the last").isGreaterThan(1_500);
  }

  @Test
  void upstreamErrorsComeBackAsTheUpstreamSentThem() {
    Browser.Response noContent = browser.get("/api/status/204");
    assertThat(noContent.status()).isEqualTo(204);
    assertThat(noContent.body()).isEmpty();
    for (int status : new int[] {404, 409, 500, 503}) {
      Browser.Response response = browser.get("/api/status/" + status);
      assertThat(response.status()).isEqualTo(status);
      assertThat(response.body()).isEqualTo("upstream says /v1/status/" + status);
      assertThat(response.header("X-Upstream")).isEqualTo("yes");
    }
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }
}
