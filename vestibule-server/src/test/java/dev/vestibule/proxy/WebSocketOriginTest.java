package dev.vestibule.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What counts as one origin when a WebSocket handshake's Origin is compared with this site's. */
class WebSocketOriginTest {
  @Test
  void theDefaultPortAndCaseMakeNoDifference() {
    assertThat(WebSocketProxy.origin("https", "Example.ORG")).isEqualTo(WebSocketProxy.origin("HTTPS", "example.org:443"));
    assertThat(WebSocketProxy.origin("http", "example.org")).contains("http://example.org:80");
    assertThat(WebSocketProxy.origin("http", "[::1]:8080")).contains("http://[::1]:8080");
  }

  @Test
  void theSchemeAndThePortDo() {
    assertThat(WebSocketProxy.origin("http", "example.org")).isNotEqualTo(WebSocketProxy.origin("https", "example.org"));
    assertThat(WebSocketProxy.origin("https", "example.org:8443")).isNotEqualTo(WebSocketProxy.origin("https", "example.org"));
  }

  @Test
  void whatIsNoWebOriginIsNone() {
    assertThat(WebSocketProxy.origin("file", "example.org")).isEmpty();
    assertThat(WebSocketProxy.origin(null, "example.org")).isEmpty();
    assertThat(WebSocketProxy.origin("https", "user@example.org")).isEmpty();
    assertThat(WebSocketProxy.origin("https", "")).isEmpty();
    assertThat(WebSocketProxy.origin("https", null)).isEmpty();
  }
}
