package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.redis.SharedRedis;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import dev.vestibule.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two gateways sharing a Redis behave as one (SPEC §2 redis, §3 refresh and logout "when redis is set"). */
class RedisClusterTest extends GatewayTest {
  private String redis;
  private final ExecutorService pool = Executors.newFixedThreadPool(20);
  private TestGateway a;
  private TestGateway b;

  @BeforeEach
  void startTwoGateways() {
    redis = TestRedis.cluster();
    a = another(cluster());
    b = another(cluster());
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private GatewayYaml cluster() {
    return config().section("redis: " + redis + "\nrefresh:\n  before: 60s\n").route("/api/**", upstream.url("/v1"));
  }

  @Test
  void concurrentRefreshesOnTwoInstancesMakeOneProviderCall() throws Exception {
    provider.accessTokenSeconds = 30;
    Browser onA = browserFor(a);
    login(onA);
    provider.accessTokenSeconds = 300;
    provider.refreshDelayMillis = 300;

    CountDownLatch go = new CountDownLatch(1);
    List<Future<Browser.Response>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Browser tab = copyOf(onA, i % 2 == 0 ? a : b);
      answers.add(pool.submit(() -> {
        go.await();
        return tab.get("/api/things");
      }));
    }
    go.countDown();
    for (Future<Browser.Response> answer : answers) assertThat(answer.get().status()).isEqualTo(200);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  @Test
  void aCookieLoggedOutOnOneInstanceIsRefusedByTheOther() {
    Browser onA = browserFor(a);
    login(onA);
    Browser stolen = copyOf(onA, b);
    assertThat(stolen.get("/auth/session").status()).isEqualTo(200);

    assertThat(onA.post("/auth/logout", "", "X-CSRF-Token", onA.csrf()).status()).isEqualTo(204);
    assertProblem(copyOf(stolen, b).get("/auth/session"), 401);
    assertProblem(copyOf(stolen, b).get("/api/things"), 401);
  }

  @Test
  void aCookieFromOneInstanceWorksOnTheOther() {
    Browser onA = browserFor(a);
    login(onA);
    Browser onB = copyOf(onA, b);
    assertThat(onB.get("/auth/session").status()).isEqualTo(200);
    assertThat(onB.post("/api/things", "{}", "X-CSRF-Token", onB.csrf()).status()).isEqualTo(200);
  }

  @Test
  void withARedisStoreTheCookieHoldsOnlyAnIdAndTheSessionWorksOnBothInstances() {
    provider.userinfoPaddingBytes = 6_000;
    TestGateway storeA = another(cluster().session("store: redis"));
    TestGateway storeB = another(cluster().session("store: redis"));
    Browser onA = browserFor(storeA);
    Browser.Response login = login(onA);
    assertThat(login.setCookie("vestibule.0")).as("no chunks: the session lives in Redis").isNull();
    assertThat(onA.cookies.get("vestibule")).hasSizeLessThan(300);

    Browser onB = copyOf(onA, storeB);
    assertThat(onB.get("/auth/session").json().getJsonObject("user").getString("bio")).hasSize(6_000);
    assertThat(onB.get("/api/things").status()).isEqualTo(200);
  }

  @Test
  void withARedisStoreALogoutOnOneInstanceEndsTheSessionOnTheOther() {
    TestGateway storeA = another(cluster().session("store: redis"));
    TestGateway storeB = another(cluster().session("store: redis"));
    Browser onA = browserFor(storeA);
    login(onA);
    Browser onB = copyOf(onA, storeB);
    assertThat(onB.get("/auth/session").status()).isEqualTo(200);

    assertThat(onA.post("/auth/logout", "", "X-CSRF-Token", onA.csrf()).status()).isEqualTo(204);

    assertProblem(copyOf(onB, storeB).get("/auth/session"), 401);
    assertProblem(copyOf(onB, storeA).get("/api/things"), 401);
  }

  @Test
  void withARedisStoreTheIdleTimeoutEndsASessionOnEveryInstance() throws Exception {
    TestGateway storeA = another(cluster().session("store: redis").session("idleTimeout: 2s"));
    TestGateway storeB = another(cluster().session("store: redis").session("idleTimeout: 2s"));
    Browser onA = browserFor(storeA);
    login(onA);
    assertThat(copyOf(onA, storeB).get("/auth/session").status()).isEqualTo(200);

    Thread.sleep(2_100);

    assertProblem(copyOf(onA, storeB).get("/auth/session"), 401);
    assertProblem(copyOf(onA, storeA).get("/auth/session"), 401);
  }

  @Test
  void withARedisStoreARefreshOnOneInstanceIsSeenByTheOther() {
    provider.accessTokenSeconds = 30;
    TestGateway storeA = another(cluster().session("store: redis"));
    TestGateway storeB = another(cluster().session("store: redis"));
    Browser onA = browserFor(storeA);
    login(onA);
    provider.accessTokenSeconds = 300;

    assertThat(onA.get("/api/things").status()).isEqualTo(200);
    String refreshed = bearer(upstream.last());
    assertThat(copyOf(onA, storeB).get("/api/things").status()).isEqualTo(200);

    assertThat(bearer(upstream.last())).isEqualTo(refreshed);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }

  @Test
  void aLateRequestWithThePreRefreshCookieOnTheOtherInstanceGetsTheRefreshedTokens() {
    provider.accessTokenSeconds = 30;
    Browser onA = browserFor(a);
    login(onA);
    provider.accessTokenSeconds = 300;
    Browser late = copyOf(onA, b);

    Browser.Response first = onA.get("/api/things");
    String refreshed = bearer(upstream.last());
    Browser.Response second = late.get("/api/things");

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(bearer(upstream.last())).isEqualTo(refreshed);
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(second.setCookie("vestibule")).as("the late request gets the newer tokens' cookie").isNotNull();
  }

  @Test
  void theLoginLimitCountsAttemptsOnEveryInstance() {
    TestGateway limitedA = another(cluster().section("limits:\n  login: 3/1m\n"));
    TestGateway limitedB = another(cluster().section("limits:\n  login: 3/1m\n"));
    String wrong = new JsonObject().put("email", FakeProvider.USER).put("password", "wrong").encode();

    assertThat(browserFor(limitedA).post("/auth/login", wrong).status()).isEqualTo(401);
    assertThat(browserFor(limitedB).post("/auth/login", wrong).status()).isEqualTo(401);
    assertThat(browserFor(limitedA).post("/auth/login", wrong).status()).isEqualTo(401);
    Browser.Response fourth = browserFor(limitedB).post("/auth/login", wrong);

    assertProblem(fourth, 429);
    assertThat(fourth.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(Long.parseLong(fourth.header("Retry-After"))).isLessThanOrEqualTo(60);
  }

  @Test
  void clustersWithOtherPrefixesShareNothing() {
    Browser onA = browserFor(a);
    login(onA);
    String otherCluster = TestRedis.cluster();
    TestGateway elsewhere = another(config().section("redis: " + otherCluster + "\n").route("/api/**", upstream.url("/v1")));
    Browser replay = copyOf(onA, elsewhere);

    assertThat(onA.post("/auth/logout", "", "X-CSRF-Token", onA.csrf()).status()).isEqualTo(204);

    assertThat(replay.get("/auth/session").status()).as("another cluster does not know of this logout").isEqualTo(200);
  }

  @Test
  void redisHoldsSessionsAndRefreshResultsSealedNeverAToken() throws Exception {
    provider.accessTokenSeconds = 30;
    TestGateway storeA = another(cluster().session("store: redis"));
    Browser onA = browserFor(storeA);
    login(onA);
    provider.accessTokenSeconds = 300;
    assertThat(onA.get("/api/things").status()).isEqualTo(200);

    Vertx vertx = Vertx.vertx();
    try (SharedRedis shared = SharedRedis.connect(vertx, URI.create(redis))) {
      Response keys = shared.send(Request.cmd(Command.KEYS).arg(shared.key("*"))).await();
      StringBuilder stored = new StringBuilder();
      for (Response key : keys) {
        stored.append(key).append('=').append(shared.send(Request.cmd(Command.GET).arg(key.toString())).await()).append('\n');
      }
      assertThat(stored).contains(":session:").contains(":refresh:");
      for (String token : provider.issued) assertThat(stored.toString()).doesNotContain(token);
    } finally {
      vertx.close().await();
    }
  }
}
