package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.WebSocketCalls;
import dev.vestibule.testing.WebSocketCalls.Open;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets through a route: the same session, token, refresh and path rules as any proxied request, then frames
 * both ways. Driven by a real WebSocket client over loopback, against a real WebSocket upstream.
 */
class WebSocketTest extends GatewayTest {
  private WebSocketCalls calls;

  @BeforeEach
  void startGateway() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .route("/public/**", upstream.url("/v1/public"), "auth: none")
        .route("/quiet/**", upstream.url("/v1/quiet"), "relay: none")
        .route("/slow/**", upstream.url("/v1/slow"), "timeout: 500ms")
        .route("/gone/**", "http://127.0.0.1:" + closedPort + "/v1"));
    calls = new WebSocketCalls(gateway.port());
  }

  @AfterEach
  void stopClient() {
    if (calls != null) calls.close();
  }

  private String origin() {
    return "http://127.0.0.1:" + gateway.port();
  }

  private Open open(String path, List<String> protocols, String... headers) {
    return calls.open(path, protocols, headers);
  }

  private Open openAsUser(String path) {
    return open(path, List.of(), "Cookie", cookieHeader(browser), "Origin", origin());
  }

  private int refused(String path, String... headers) {
    return calls.refused(path, headers);
  }

  @Test
  void aLoggedInBrowsersWebSocketReachesTheUpstreamWithTheTokenAndFramesFlowBothWays() throws Exception {
    login();
    Open live = openAsUser("/api/live?room=7");

    JsonObject seen = new JsonObject(live.next());
    assertThat(seen.getString("uri")).isEqualTo("/v1/live?room=7");
    assertThat(provider.isLive(bearer(seen))).isTrue();
    assertThat(header(seen, "cookie")).isEmpty();
    assertThat(header(seen, "x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(header(seen, "origin")).as("the upstream may check it too").containsExactly(origin());

    live.socket().writeTextMessage("hello").await();
    assertThat(live.next()).isEqualTo("echo:hello");
    live.socket().writeBinaryMessage(Buffer.buffer("bytes")).await();
    assertThat(live.next()).isEqualTo("binary:bytes");
    // One 200 KB frame each way, as a browser sends a message: over Vert.x's and Netty's 64 KiB default.
    String large = "x".repeat(200_000);
    live.socket().writeTextMessage(large).await();
    assertThat(live.next()).isEqualTo("echo:" + large);
  }

  @Test
  void aCloseFromEitherSideReachesTheOtherWithItsCode() throws Exception {
    login();
    Open live = openAsUser("/api/live");
    live.next();
    live.socket().writeTextMessage("close:4001").await();
    assertThat(live.closedWith().get(10, TimeUnit.SECONDS)).isEqualTo((short) 4001);
  }

  @Test
  void aCloseFromTheClientReachesTheUpstreamWithItsCode() throws Exception {
    login();
    Open live = openAsUser("/api/live");
    live.next();
    live.socket().close((short) 4002, "bye").await();
    assertThat(upstream.webSocketCloses.poll(10, TimeUnit.SECONDS)).isEqualTo((short) 4002);
  }

  @Test
  void manyWebSocketsToOneUpstreamAreOpenAtOnce() throws Exception {
    login();
    List<Open> open = new ArrayList<>();
    for (int i = 0; i < 60; i++) open.add(openAsUser("/api/live?n=" + i));
    for (Open live : open) assertThat(new JsonObject(live.next()).getString("uri")).startsWith("/v1/live?n=");
  }

  @Test
  void aLogoutClosesTheLoginsWebSockets() throws Exception {
    login();
    Open live = openAsUser("/api/live");
    live.next();

    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);

    assertThat(live.closedWith().get(15, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertThat(upstream.webSocketCloses.poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void withoutASessionTheUpgradeIs401AndNothingReachesTheUpstream() {
    assertThat(refused("/api/live", "Origin", origin())).isEqualTo(401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aPageOfAnotherSiteCannotOpenOneWithTheUsersCookie() {
    login();
    for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1.evil.example",
        "https://127.0.0.1:" + gateway.port(), "http://127.0.0.1:" + gateway.port() + "/x", "http://127.0.0.1")) {
      assertThat(refused("/api/live", "Cookie", cookieHeader(browser), "Origin", origin)).as(origin).isEqualTo(403);
      assertThat(refused("/quiet/live", "Cookie", cookieHeader(browser), "Origin", origin)).as(origin).isEqualTo(403);
    }
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aRouteThatRelaysNoTokenStillNeedsTheSessionAndThisSitesOrigin() throws Exception {
    assertThat(refused("/quiet/live", "Origin", origin())).isEqualTo(401);
    login();
    Open live = open("/quiet/live", List.of(), "Cookie", cookieHeader(browser), "Origin", "HTTP://127.0.0.1:" + gateway.port());
    assertThat(header(new JsonObject(live.next()), "authorization")).isEmpty();
  }

  @Test
  void aClientThatIsNoBrowserMaySendNoOrigin() throws Exception {
    login();
    Open live = open("/api/live", List.of(), "Cookie", cookieHeader(browser));
    assertThat(provider.isLive(bearer(new JsonObject(live.next())))).isTrue();
  }

  @Test
  void theClientGetsTheSubprotocolTheUpstreamChose() throws Exception {
    login();
    Open live = open("/api/live", List.of("chat.v1", EchoUpstream.WEBSOCKET_PROTOCOL),
        "Cookie", cookieHeader(browser), "Origin", origin());
    assertThat(live.socket().subProtocol()).isEqualTo(EchoUpstream.WEBSOCKET_PROTOCOL);
    assertThat(new JsonObject(live.next()).getString("subProtocol")).isEqualTo(EchoUpstream.WEBSOCKET_PROTOCOL);
  }

  @Test
  void aTokenAboutToExpireIsRefreshedFirstAndTheNewCookieComesWithThe101() throws Exception {
    provider.accessTokenSeconds = 30;
    login();
    provider.accessTokenSeconds = 300;
    String cookieBefore = browser.cookies.get("vestibule");

    Open live = openAsUser("/api/live");

    String used = bearer(new JsonObject(live.next()));
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(provider.isLive(used)).isTrue();
    List<String> setCookies = live.socket().headers().getAll("Set-Cookie");
    assertThat(setCookies).anySatisfy(cookie -> assertThat(cookie).startsWith("vestibule=").contains("HttpOnly"));
    String renewed = setCookies.stream().filter(c -> c.startsWith("vestibule=")).findFirst().orElseThrow()
        .split(";", 2)[0].substring("vestibule=".length());
    assertThat(renewed).isNotEqualTo(cookieBefore);

    browser.cookies.put("vestibule", renewed);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).as("the stored cookie holds the refreshed tokens").isEqualTo(1);
  }

  @Test
  void anUpstream401IsRefreshedAndRetriedOnce() throws Exception {
    login();
    provider.expireAllAccessTokens();

    Open live = openAsUser("/api/live");

    assertThat(provider.isLive(bearer(new JsonObject(live.next())))).isTrue();
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.received).hasSize(2);
  }

  @Test
  void aRejectedRefreshEndsTheSessionAndTheUpgradeIs401() {
    login();
    provider.expireAllAccessTokens();
    provider.refreshMode = FakeProvider.RefreshMode.REJECT;

    assertThat(refused("/api/live", "Cookie", cookieHeader(browser), "Origin", origin())).isEqualTo(401);
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void aPublicRouteRelaysNoToken() throws Exception {
    login();
    Open live = openAsUser("/public/feed");
    JsonObject seen = new JsonObject(live.next());
    assertThat(seen.getString("uri")).isEqualTo("/v1/public/feed");
    assertThat(header(seen, "authorization")).isEmpty();
  }

  @Test
  void pathsThatLeaveTheRouteAreRefused() {
    login();
    for (String path : List.of("/api/%2e%2e/admin", "/api/..;/admin", "/api/x%2fy")) {
      assertThat(refused(path, "Cookie", cookieHeader(browser), "Origin", origin())).as(path).isIn(400, 404);
    }
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anUnreachableUpstreamIs502AndASlowOneIs504() {
    login();
    assertThat(refused("/gone/live", "Cookie", cookieHeader(browser), "Origin", origin())).isEqualTo(502);
    assertThat(refused("/slow/live", "Cookie", cookieHeader(browser), "Origin", origin())).isEqualTo(504);
    assertThat(browser.get("/auth/session").status()).as("neither ends the session").isEqualTo(200);
  }

  @Test
  void anUpstreamRefusalKeepsItsStatus() {
    login();
    assertThat(refused("/api/status/403", "Cookie", cookieHeader(browser), "Origin", origin())).isEqualTo(403);
  }

  @Test
  void theWebSocketClosesWhenTheLoginExpires() throws Exception {
    start(config().session("maxAge: 2s").route("/api/**", upstream.url("/v1")));
    calls.close();
    calls = new WebSocketCalls(gateway.port());
    login();
    Open live = openAsUser("/api/live");
    live.next();
    assertThat(live.closedWith().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }
}
