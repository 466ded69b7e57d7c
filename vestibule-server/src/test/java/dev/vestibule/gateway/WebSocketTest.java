package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.FakeProvider;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets through a route: the same session, token, refresh and path rules as any proxied request, then frames
 * both ways. Driven by a real WebSocket client over loopback, against a real WebSocket upstream.
 */
class WebSocketTest extends GatewayTest {
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client = vertx.createWebSocketClient();

  @BeforeEach
  void startGateway() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .route("/public/**", upstream.url("/v1/public"), "auth: none")
        .route("/slow/**", upstream.url("/v1/slow"), "timeout: 500ms")
        .route("/gone/**", "http://127.0.0.1:" + closedPort + "/v1"));
  }

  @AfterEach
  void stopClient() {
    vertx.close().await();
  }

  /** An open WebSocket and the messages it received, the upstream's greeting first. */
  private record Open(WebSocket socket, BlockingQueue<String> messages, CompletableFuture<Short> closedWith) {
    String next() throws InterruptedException {
      String message = messages.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message within 10 s").isNotNull();
      return message;
    }
  }

  private String origin() {
    return "http://127.0.0.1:" + gateway.port();
  }

  private WebSocketConnectOptions options(String path, List<String> protocols, String... headers) {
    MultiMap map = HttpHeaders.headers();
    for (int i = 0; i + 1 < headers.length; i += 2) map.add(headers[i], headers[i + 1]);
    // Only the Origin a test names: the client would otherwise add one of its own.
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setURI(path)
        .setHeaders(map).setSubProtocols(protocols).setAllowOriginHeader(map.contains("Origin"));
  }

  private Open open(String path, List<String> protocols, String... headers) {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket socket = client.connect(options(path, protocols, headers)).map(ws -> {
      ws.textMessageHandler(messages::add);
      ws.binaryMessageHandler(bytes -> messages.add("binary:" + bytes.toString()));
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
      return ws;
    }).await();
    return new Open(socket, messages, closed);
  }

  private Open openAsUser(String path) {
    return open(path, List.of(), "Cookie", cookieHeader(browser), "Origin", origin());
  }

  private int refused(String path, String... headers) {
    Throwable failure;
    try {
      client.connect(options(path, List.of(), headers)).await().close();
      failure = null;
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).as("the upgrade of %s is refused", path).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) failure).getStatus();
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
  void withoutASessionTheUpgradeIs401AndNothingReachesTheUpstream() {
    assertThat(refused("/api/live", "Origin", origin())).isEqualTo(401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aPageOfAnotherSiteCannotOpenOneWithTheUsersCookie() {
    login();
    for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1.evil.example")) {
      assertThat(refused("/api/live", "Cookie", cookieHeader(browser), "Origin", origin)).as(origin).isEqualTo(403);
    }
    assertThat(upstream.received).isEmpty();
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
    login();
    Open live = openAsUser("/api/live");
    live.next();
    assertThat(live.closedWith().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }
}
