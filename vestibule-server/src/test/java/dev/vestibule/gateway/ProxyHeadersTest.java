package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.RawHttp;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest extends GatewayTest {

  @BeforeEach
  void startGateway() {
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .route("/open/**", upstream.url("/v1/open"), "auth: optional")
        .route("/legacy/**", upstream.url("/v1/legacy"), "relay: cookie:access_token"));
  }

  @Test
  void theClientsAuthorizationHeaderIsReplacedByTheSessionsToken() {
    login();
    assertThat(browser.get("/api/things", "Authorization", "Bearer forged-by-the-client").status()).isEqualTo(200);
    List<String> authorization = header(upstream.last(), "authorization");
    assertThat(authorization).hasSize(1);
    assertThat(authorization.get(0)).startsWith("Bearer at-").doesNotContain("forged");
    assertThat(provider.isLive(bearer(upstream.last()))).isTrue();
  }

  @Test
  void aGuestsAuthorizationHeaderNeverReachesTheUpstream() {
    assertThat(browser.get("/open/page", "Authorization", "Basic YWRtaW46YWRtaW4=").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/open/page");
    assertThat(header(upstream.last(), "authorization")).isEmpty();
  }

  @Test
  void cookieRelaySendsTheTokenAsThatCookieAndDropsTheClientsOwn() {
    login();
    browser.cookies.put("access_token", "forged-by-the-client");
    browser.cookies.put("theme", "dark");
    assertThat(browser.get("/legacy/report").status()).isEqualTo(200);

    JsonObject seen = upstream.last();
    assertThat(header(seen, "authorization")).isEmpty();
    String cookies = String.join("; ", header(seen, "cookie"));
    assertThat(cookies).doesNotContain("forged").contains("theme=dark");
    List<String> relayed = List.of(cookies.split(";\\s*")).stream().filter(c -> c.startsWith("access_token=")).toList();
    assertThat(relayed).hasSize(1);
    assertThat(provider.isLive(relayed.get(0).substring("access_token=".length()))).isTrue();
  }

  @Test
  void vestibuleCookiesNeverReachTheUpstreamButOtherCookiesDo() {
    login();
    browser.cookies.put("theme", "dark");
    browser.cookies.put("vestibule.7", "stray-chunk");
    browser.cookies.put("vestibule-mfa", "pending-login-challenge");
    browser.cookies.put("lang", "de");
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    List<String> cookies = List.of(String.join("; ", header(upstream.last(), "cookie")).split(";\\s*"));
    assertThat(cookies).containsExactlyInAnyOrder("theme=dark", "lang=de");
  }

  @Test
  void theUpstreamCannotOverwriteVestibulesCookies() {
    login();
    String session = browser.cookies.get("vestibule");
    String csrf = browser.csrf();
    Browser.Response response = browser.get("/api/things",
        "X-Echo-Set-Cookie", "vestibule=evil; Path=/|vestibule-csrf=evil; Path=/|vestibule-mfa=evil; Path=/|theme=dark; Path=/");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.all("set-cookie")).noneMatch(line -> line.contains("evil"));
    assertThat(response.setCookie("theme")).isNotNull();
    assertThat(browser.cookies.get("vestibule")).isEqualTo(session);
    assertThat(browser.csrf()).isEqualTo(csrf);
  }

  @Test
  void hopByHopRequestHeadersAreNotForwarded() {
    login();
    String status = RawHttp.exchange(gateway.port(), "GET /api/things HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Cookie: " + cookieHeader(browser) + "\r\n"
        + "Connection: keep-alive, X-Client-Hop\r\n"
        + "X-Client-Hop: only for the next hop\r\n"
        + "Keep-Alive: timeout=5\r\n"
        + "TE: trailers\r\n"
        + "Upgrade: example/1\r\n"
        + "Proxy-Authorization: Basic cHJveHk6cHJveHk=\r\n"
        + "Proxy-Connection: keep-alive\r\n"
        + "X-End-To-End: kept\r\n"
        + "\r\n");
    assertThat(status).startsWith("HTTP/1.1 200");

    JsonObject headers = upstream.last().getJsonObject("headers");
    assertThat(headers.fieldNames()).doesNotContain("x-client-hop", "keep-alive", "te", "upgrade",
        "proxy-authorization", "proxy-connection");
    assertThat(header(upstream.last(), "connection")).noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("x-client-hop"));
    assertThat(header(upstream.last(), "x-end-to-end")).containsExactly("kept");
  }

  @Test
  void hopByHopResponseHeadersAreNotPassedBack() {
    login();
    String response = RawHttp.exchange(gateway.port(), "GET /api/things HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Cookie: " + cookieHeader(browser) + "\r\n"
        + "X-Echo-Header: Upgrade: example/2|Proxy-Authenticate: Basic realm=x|Proxy-Connection: keep-alive"
        + "|X-End-To-End: kept\r\n"
        + "\r\n");
    assertThat(response).startsWith("HTTP/1.1 200");
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
    assertThat(head).contains("content-type: application/json").contains("x-end-to-end: kept");
    assertThat(head).doesNotContain("x-internal-hop").doesNotContain("keep-alive: timeout")
        .doesNotContain("upgrade:").doesNotContain("proxy-authenticate").doesNotContain("proxy-connection");
  }

  @Test
  void forwardedHeadersDescribeTheRealClientAndIgnoreWhatItClaims() {
    login();
    assertThat(browser.get("/api/things", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.example",
        "X-Forwarded-Proto", "https").status()).isEqualTo(200);
    JsonObject seen = upstream.last();
    assertThat(header(seen, "x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(header(seen, "x-forwarded-proto")).containsExactly("http");
    assertThat(header(seen, "x-forwarded-host")).containsExactly("127.0.0.1:" + gateway.port());
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsKept() {
    TestGateway behindProxy = another(config().section("trustedProxies: [127.0.0.1/32]")
        .route("/api/**", upstream.url("/v1")));
    Browser viaProxy = browserFor(behindProxy);
    login(viaProxy);
    assertThat(viaProxy.get("/api/things", "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(200);
    List<String> forwardedFor = List.of(String.join(",", header(upstream.last(), "x-forwarded-for")).split(",\\s*"));
    assertThat(forwardedFor.get(0)).isEqualTo("203.0.113.7");
    assertThat(forwardedFor.get(forwardedFor.size() - 1)).isEqualTo("127.0.0.1");
  }

  @Test
  void behindATrustedProxyEveryForwardedLineIsKeptInOrder() {
    TestGateway behindProxy = another(config().section("trustedProxies: [127.0.0.1/32]")
        .route("/api/**", upstream.url("/v1")));
    Browser viaProxy = browserFor(behindProxy);
    login(viaProxy);
    assertThat(viaProxy.get("/api/things", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-For", "203.0.113.7")
        .status()).isEqualTo(200);
    List<String> forwardedFor = List.of(String.join(",", header(upstream.last(), "x-forwarded-for")).split(",\\s*"));
    assertThat(forwardedFor).containsExactly("198.51.100.1", "203.0.113.7", "127.0.0.1");
  }

  @Test
  void aClientSentVestibuleUserHeaderNeverReachesTheUpstream() {
    login();
    assertThat(browser.get("/api/things", "X-Vestibule-User", "admin", "X-Vestibule-Key-Id", "k-1").status())
        .isEqualTo(200);
    assertThat(browser.get("/open/page", "X-Vestibule-User", "admin").status()).isEqualTo(200);
    for (JsonObject seen : upstream.received) {
      assertThat(seen.getJsonObject("headers").fieldNames()).noneMatch(n -> n.startsWith("x-vestibule-"));
    }
  }

  @Test
  void theQueryStringIsPassedAsSent() {
    login();
    assertThat(browser.get("/api/search?q=a%20b%26c&tag=x&tag=y&empty=&flag").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/search?q=a%20b%26c&tag=x&tag=y&empty=&flag");
  }

  @Test
  void encodedPathCharactersArePassedAsSent() {
    login();
    assertThat(browser.get("/api/files/a%20b/caf%C3%A9/x+y/%40me").status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/files/a%20b/caf%C3%A9/x+y/%40me");
  }

  @Test
  void otherForwardingHeadersFromAnUntrustedClientAreIgnored() {
    login();
    assertThat(browser.get("/api/things", "Forwarded", "for=6.6.6.6;host=evil.example;proto=https",
        "X-Real-IP", "6.6.6.6", "True-Client-IP", "6.6.6.6", "X-Client-IP", "6.6.6.6", "X-Cluster-Client-IP", "6.6.6.6",
        "X-Original-URL", "/evil.example/admin", "X-Rewrite-URL", "/evil.example/admin",
        "X-Forwarded-Prefix", "/evil.example", "X-Forwarded-Scheme", "evil.example", "X-Forwarded-Ssl", "evil.example")
        .status()).isEqualTo(200);
    String all = upstream.last().getJsonObject("headers").encode();
    assertThat(all).doesNotContain("6.6.6.6").doesNotContain("evil.example");
  }

  @Test
  void anExpectContinueUploadArrivesIntact() {
    login();
    String body = "{\"big\":\"" + "y".repeat(20_000) + "\"}";
    String head = "POST /api/notes HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Cookie: " + cookieHeader(browser) + "\r\n"
        + "X-CSRF-Token: " + browser.csrf() + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + "Expect: 100-continue\r\n"
        + "Connection: close\r\n\r\n";
    String answer = RawHttp.exchangeInParts(gateway.port(), 300, head, body);
    assertThat(answer).contains("HTTP/1.1 200");
    assertThat(upstream.last().getString("body")).isEqualTo(body);
    assertThat(header(upstream.last(), "expect")).isEmpty();
  }
}
