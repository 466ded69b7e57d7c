package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ambiguously framed requests are refused, so nothing can be smuggled to an upstream behind the gateway. */
class RequestFramingTest extends GatewayTest {
  private static final String SMUGGLED = "GET /v1/admin HTTP/1.1\r\nHost: upstream\r\n\r\n";

  @BeforeEach
  void startGateway() {
    start(config().route("/pub/**", upstream.url("/v1/pub"), "auth: none"));
  }

  private String send(String head, String body) {
    return RawHttp.exchangeInParts(gateway.port(), 0, head + "Host: localhost\r\nConnection: close\r\n\r\n" + body);
  }

  @Test
  void contentLengthTogetherWithChunkedIsRefused() throws Exception {
    String chunk = Integer.toHexString(5 + SMUGGLED.length()) + "\r\nhello" + SMUGGLED + "\r\n0\r\n\r\n";
    String answer = send("POST /pub/x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n", chunk);
    assertThat(answer).startsWith("HTTP/1.1 400");
    Thread.sleep(300);
    assertThat(upstreamUris()).noneMatch(uri -> uri.contains("admin"));
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void conflictingContentLengthsAreRefused() {
    assertThat(send("POST /pub/x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 60\r\n", "hello" + SMUGGLED))
        .startsWith("HTTP/1.1 400");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aCleartextHttp2UpgradeIsNotTaken() {
    String answer = send("GET /pub/x HTTP/1.1\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\n", "");
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(upstream.last().getJsonObject("headers").fieldNames()).doesNotContain("upgrade", "http2-settings");
  }

  @Test
  void http2WithPriorKnowledgeIsNotSpoken() {
    String answer = RawHttp.exchangeInParts(gateway.port(), 0, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertThat(answer).doesNotStartWith("HTTP/1.1 200").doesNotContain("\u0000");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aChunkedBodyIsForwardedWithItsOwnFramingOnly() {
    String body = "hello" + SMUGGLED;
    String answer = send("POST /pub/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n",
        Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(upstreamUris()).containsExactly("/v1/pub/x");
    assertThat(upstream.last().getString("body")).isEqualTo(body);
  }
}
