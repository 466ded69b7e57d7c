package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupeTest extends GatewayTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @BeforeEach
  void startGateway() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(config()
        .route("/api/**", upstream.url("/v1"), "dedupe: true")
        .route("/slow-api/**", upstream.url("/v1/slow"), "dedupe: true", "timeout: 500ms")
        .route("/gone/**", "http://127.0.0.1:" + closedPort + "/v1", "dedupe: true")
        .route("/shop/**", upstream.url("/v1/shop"), "dedupe: true", "auth: none"));
    upstream.everyAnswerDelayMillis = 400;
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private List<Browser.Response> together(List<Browser> browsers, Function<Browser, Browser.Response> call)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Browser.Response>> answers = new ArrayList<>();
    for (Browser b : browsers) {
      answers.add(pool.submit(() -> {
        go.await();
        return call.apply(b);
      }));
    }
    go.countDown();
    List<Browser.Response> out = new ArrayList<>();
    for (Future<Browser.Response> answer : answers) out.add(answer.get());
    return out;
  }

  @Test
  void identicalConcurrentRequestsOfOneSessionReachTheUpstreamOnce() throws Exception {
    login();
    List<Browser> tabs = List.of(copyOf(browser), copyOf(browser), copyOf(browser), copyOf(browser));
    List<Browser.Response> answers = together(tabs, tab -> tab.get("/api/report?year=2026"));
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(answers).extracting(Browser.Response::body).containsOnly(answers.get(0).body());
    assertThat(upstream.received).hasSize(1);
  }

  @Test
  void identicalRequestsOfDifferentUsersAreNeverShared() throws Exception {
    Browser alice = newBrowser();
    Browser otherAlice = newBrowser();
    login(alice);
    login(otherAlice);
    List<Browser.Response> answers = together(List.of(alice, otherAlice), b -> b.get("/api/report?year=2026"));
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(upstream.received).hasSize(2);
    String firstToken = bearer(answers.get(0).json());
    String secondToken = bearer(answers.get(1).json());
    assertThat(firstToken).isNotEqualTo(secondToken);
  }

  @Test
  void guestsAreNeverSharedAnAnswerTheirOwnCookiesMightHaveChanged() throws Exception {
    Browser alice = newBrowser();
    Browser mallory = newBrowser();
    List<Browser.Response> answers = together(List.of(alice, mallory),
        b -> b.get("/shop/cart", "Cookie", "shopsid=" + (b == alice ? "ALICE" : "MALLORY")));
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(upstream.received).hasSize(2);
    assertThat(answers.get(0).body()).contains("ALICE").doesNotContain("MALLORY");
    assertThat(answers.get(1).body()).contains("MALLORY").doesNotContain("ALICE");
  }

  @Test
  void requestsWithDifferentBodiesAreNotShared() throws Exception {
    login();
    List<Browser> tabs = List.of(copyOf(browser), copyOf(browser));
    List<Browser.Response> answers = together(tabs,
        tab -> tab.post("/api/notes", "{\"tab\":" + tabs.indexOf(tab) + "}", "X-CSRF-Token", tab.csrf()));
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(upstream.received).hasSize(2);
    assertThat(answers.get(0).json().getString("body")).isEqualTo("{\"tab\":0}");
    assertThat(answers.get(1).json().getString("body")).isEqualTo("{\"tab\":1}");
  }

  @Test
  void aDedupedRouteAnswers502And504LikeAnyOther() {
    login();
    assertProblem(browser.get("/gone/things"), 502);
    assertProblem(browser.get("/slow-api/things"), 504);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }
}
