package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import java.net.InetSocketAddress;
import java.net.Socket;
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
  private static final String REDIS = "redis://127.0.0.1:6379";
  private final ExecutorService pool = Executors.newFixedThreadPool(20);
  private TestGateway a;
  private TestGateway b;

  @BeforeEach
  void startTwoGateways() {
    assumeTrue(redisIsUp(), "needs Redis on 127.0.0.1:6379");
    a = another(cluster());
    b = another(cluster());
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private GatewayYaml cluster() {
    return config().section("redis: " + REDIS + "\nrefresh:\n  before: 60s\n").route("/api/**", upstream.url("/v1"));
  }

  private static boolean redisIsUp() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 300);
      return true;
    } catch (Exception e) {
      return false;
    }
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
}
