package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import dev.vestibule.testing.TestRedis;
import dev.vestibule.testing.WebSocketCalls;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis of a cluster dies while the gateway serves: whatever needs it fails closed with 503 and Retry-After
 * (never a 500, a stack trace or a token), and all is well again once Redis is back (SPEC §2 redis, §3).
 */
class RedisOutageTest extends GatewayTest {
  private TestRedis.Own redis;

  @BeforeEach
  void startRedis() {
    redis = TestRedis.own();
  }

  @AfterEach
  void stopRedis() {
    if (redis != null) redis.close();
  }

  private GatewayYaml cluster() {
    return config().section("redis: " + redis.url() + "\n")
        .route("/api/**", upstream.url("/v1"))
        .route("/public/**", upstream.url("/v1/public"), "auth: none");
  }

  private static void assertUnavailable(Browser.Response response) {
    assertProblem(response, 503);
    assertThat(response.header("Retry-After")).as(response.path()).matches("[1-9][0-9]*");
    assertThat(response.body()).doesNotContainIgnoringCase("exception").doesNotContain("\tat ").doesNotContain("redis://");
  }

  @Test
  void withCookieSessionsEveryRequestThatNeedsRedisIs503UntilItIsBack() {
    TestGateway gateway = another(cluster());
    Browser browser = browserFor(gateway);
    login(browser);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    int forwarded = upstream.received.size();

    redis.kill();
    List<Browser.Response> answers = List.of(
        browser.get("/auth/session"),
        browser.get("/api/things"),
        browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()),
        browserFor(gateway).login());

    answers.forEach(RedisOutageTest::assertUnavailable);
    assertUnavailable(browser.copy().login()); // a logged-in browser logging in again: answered, not left hanging
    assertThat(upstream.received).hasSize(forwarded);
    assertThat(answers).allSatisfy(answer -> assertThat(answer.all("set-cookie")).noneMatch(GatewayTest::clears));
    assertThat(browserFor(gateway).get("/public/hello").status()).as("a route without sessions needs no Redis")
        .isEqualTo(200);
    Browser.Response publicWithCookie = browser.get("/public/hello");
    assertThat(publicWithCookie.status()).as("nor does it for a logged-in browser").isEqualTo(200);
    assertThat(publicWithCookie.all("set-cookie")).isEmpty();

    redis.start();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
  }

  @Test
  void withARedisStoreTheSessionIsUnavailableNotLost() {
    TestGateway gateway = another(cluster().session("store: redis"));
    Browser browser = browserFor(gateway);
    login(browser);

    redis.kill();
    assertUnavailable(browser.get("/auth/session"));
    assertUnavailable(browser.get("/api/things"));
    assertThat(browser.get("/public/hello").status()).as("a route without sessions needs no Redis").isEqualTo(200);
    Browser.Response login = browserFor(gateway).login();
    assertUnavailable(login);
    assertThat(login.setCookie("vestibule")).as("no cookie for a session Redis did not keep").isNull();
  }

  @Test
  void aWebSocketOnARouteWithoutSessionsOpensWhileRedisIsDown() throws Exception {
    TestGateway gateway = another(cluster().session("store: redis"));
    Browser browser = browserFor(gateway);
    login(browser);
    redis.kill();
    try (WebSocketCalls calls = new WebSocketCalls(gateway.port())) {
      WebSocketCalls.Open live = calls.open("/public/feed", List.of(), "Cookie", cookieHeader(browser),
          "Origin", "http://127.0.0.1:" + gateway.port());
      assertThat(new JsonObject(live.next()).getString("uri")).isEqualTo("/v1/public/feed");
      assertThat(calls.refused("/api/live", "Cookie", cookieHeader(browser), "Origin", "http://127.0.0.1:" + gateway.port()))
          .as("a route that needs the session cannot have it").isEqualTo(503);
    }
  }

  @Test
  void aRequestDueForARefreshIs503WithoutCallingTheProviderAndTheSessionStays() {
    provider.accessTokenSeconds = 30;
    TestGateway gateway = another(cluster());
    Browser browser = browserFor(gateway);
    login(browser);
    provider.accessTokenSeconds = 300;
    String cookie = browser.cookies.get("vestibule");

    redis.kill();
    assertUnavailable(browser.get("/api/things"));

    assertThat(provider.refreshGrants.get()).isZero();
    assertThat(browser.cookies.get("vestibule")).isEqualTo(cookie);
  }
}
