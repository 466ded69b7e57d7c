package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshStormTest extends GatewayTest {
  private static final int TABS = 30;
  private final ExecutorService pool = Executors.newFixedThreadPool(TABS);

  @BeforeEach
  void startGateway() {
    start(config().section("refresh:\n  before: 60s\n").route("/api/**", upstream.url("/v1")));
    provider.refreshDelayMillis = 300;
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  /** {@code TABS} copies of the browser send a GET at the same moment; their answers, in order. */
  private List<Browser.Response> storm() throws Exception {
    List<Browser> tabs = new ArrayList<>();
    for (int i = 0; i < TABS; i++) tabs.add(copyOf(browser));
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Browser.Response>> answers = new ArrayList<>();
    for (int i = 0; i < TABS; i++) {
      Browser tab = tabs.get(i);
      String path = "/api/things?tab=" + i;
      answers.add(pool.submit(() -> {
        go.await();
        return tab.get(path);
      }));
    }
    go.countDown();
    List<Browser.Response> out = new ArrayList<>();
    for (Future<Browser.Response> answer : answers) out.add(answer.get());
    return out;
  }

  private Set<String> tokensSeenUpstream() {
    return upstream.received.stream().map(GatewayTest::bearer).collect(Collectors.toSet());
  }

  @Test
  void concurrentRequestsWithAnExpiringTokenMakeOneProviderCall() throws Exception {
    provider.accessTokenSeconds = 30;
    login();
    provider.accessTokenSeconds = 300;

    List<Browser.Response> answers = storm();
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.received).hasSize(TABS);
    Set<String> tokens = tokensSeenUpstream();
    assertThat(tokens).hasSize(1);
    assertThat(provider.isLive(tokens.iterator().next())).isTrue();
    assertThat(answers).allSatisfy(answer -> assertThat(answer.setCookie("vestibule")).isNotNull());
  }

  @Test
  void concurrentRequestsRefusedUpstreamMakeOneProviderCall() throws Exception {
    login();
    String old = provider.issued.get(0);
    provider.expireAllAccessTokens();

    List<Browser.Response> answers = storm();
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    Set<String> retried = upstream.received.stream().map(GatewayTest::bearer).filter(t -> !t.equals(old))
        .collect(Collectors.toSet());
    assertThat(retried).hasSize(1);
  }

  @Test
  void concurrentRequestsWhoseRefreshIsRejectedMakeOneProviderCallAndAllGetTheLoginLink() throws Exception {
    provider.accessTokenSeconds = 30;
    login();
    provider.refreshMode = dev.vestibule.testing.FakeProvider.RefreshMode.REJECT;

    List<Browser.Response> answers = storm();
    assertThat(answers).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.json().getString("login")).startsWith("/login?returnTo=");
    });
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void concurrentRequestsDuringAnOutageMakeOneProviderCallAndAllGet503() throws Exception {
    provider.accessTokenSeconds = 30;
    login();
    provider.refreshMode = dev.vestibule.testing.FakeProvider.RefreshMode.FAIL_503;
    provider.refreshDelayMillis = 800;

    List<Browser.Response> answers = storm();
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
    assertThat(provider.refreshGrants.get()).isEqualTo(1);
  }
}
