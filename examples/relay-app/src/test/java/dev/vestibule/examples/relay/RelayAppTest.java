package dev.vestibule.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.Vestibule;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.Concurrently;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayAppTest {
  private Vertx vertx;
  private FakeProvider provider;
  private EchoUpstream upstream;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    provider = new FakeProvider();
    upstream = new EchoUpstream();
    upstream.acceptsToken = token -> provider.isLive(token);
    Vestibule vestibule = Vestibule.fromYaml(vertx, TestGateway.oauth2Config(provider, ""), Map.of());
    HttpServer server = vertx.createHttpServer()
        .requestHandler(RelayApp.router(vertx, vestibule, URI.create(upstream.url("/v1"))))
        .listen(0, "127.0.0.1").await();
    browser = new Browser("http://127.0.0.1:" + server.actualPort());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    upstream.close();
    provider.close();
  }

  private String bearerSeenUpstream() {
    return upstream.last().getJsonObject("headers").getJsonArray("authorization").getString(0);
  }

  @Test
  void everyGeneratedEndpointCallsItsUpstreamWithTheUsersToken() {
    assertThat(browser.login().status()).isEqualTo(200);
    for (String resource : RelayApp.RESOURCES) {
      assertThat(browser.get("/api/" + resource).status()).isEqualTo(200);
      assertThat(upstream.last().getString("uri")).isEqualTo("/v1/" + resource);
      assertThat(provider.isLive(bearerSeenUpstream().substring(7))).isTrue();
    }
    assertThat(upstream.received).hasSize(50);
  }

  @Test
  void withoutASessionAnApiCallGets401WithALoginLinkAndAPageGetsRedirected() {
    Browser.Response api = browser.get("/api/resource-7?page=2");
    assertThat(api.status()).isEqualTo(401);
    assertThat(api.header("Content-Type")).startsWith("application/problem+json");
    assertThat(api.json().getString("login")).isEqualTo("/login?returnTo=%2Fapi%2Fresource-7%3Fpage%3D2");
    Browser.Response page = browser.get("/api/resource-7", "Accept", "text/html");
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.header("Location")).isEqualTo("/login?returnTo=%2Fapi%2Fresource-7");
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anExpiringTokenIsRefreshedBeforeTheCallAndTheNewCookieIsSet() {
    provider.accessTokenSeconds = 30; // under refresh.before (60s)
    browser.login();
    String cookieBefore = browser.cookies.get("vestibule");
    Browser.Response answer = browser.get("/api/resource-1");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(provider.refreshGrants).hasValue(1);
    assertThat(provider.isLive(bearerSeenUpstream().substring(7))).isTrue();
    assertThat(browser.cookies.get("vestibule")).isNotEqualTo(cookieBefore);
  }

  @Test
  void anUpstream401RefreshesOnceAndRetriesTheBody() {
    browser.login();
    provider.expireAllAccessTokens();
    Browser.Response answer = browser.post("/api/resource-9", "{\"n\":9}", "X-CSRF-Token", browser.csrf());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(provider.refreshGrants).hasValue(1);
    assertThat(upstream.received).hasSize(2);
    assertThat(upstream.last().getString("body")).isEqualTo("{\"n\":9}");
  }

  @Test
  void aRejectedRefreshEndsTheSessionWith401AndALoginLink() {
    browser.login();
    provider.expireAllAccessTokens();
    provider.refreshMode = FakeProvider.RefreshMode.REJECT;
    Browser.Response answer = browser.get("/api/resource-2");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().getString("login")).isEqualTo("/login?returnTo=%2Fapi%2Fresource-2");
    assertThat(browser.cookies).doesNotContainKey("vestibule");
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void aggregatingEndpointsMakeSeveralCallsWithOneRefresh() {
    provider.accessTokenSeconds = 30;
    browser.login();
    Browser.Response dashboard = browser.get("/api/dashboard");
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.json().getJsonObject("first").getString("uri")).isEqualTo("/v1/resource-1");
    assertThat(dashboard.json().getJsonObject("second").getString("uri")).isEqualTo("/v1/resource-2");
    assertThat(provider.refreshGrants).hasValue(1);
    Browser.Response summary = browser.get("/api/summary");
    assertThat(summary.json().getInteger("calls")).isEqualTo(2);
    assertThat(summary.json().getJsonObject("user").getString("email")).isEqualTo(FakeProvider.USER);
  }

  @Test
  void postsNeedTheCsrfHeaderAndOtherMethodsAreRefused() {
    browser.login();
    assertThat(browser.post("/api/resource-5", "{}").status()).isEqualTo(403);
    assertThat(browser.post("/api/resource-5", "{}", "X-CSRF-Token", "forged").status()).isEqualTo(403);
    assertThat(upstream.received).isEmpty();
    assertThat(browser.post("/api/resource-5", "{}", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeReachingTheUpstream() {
    browser.login();
    String big = "{\"x\":\"" + "a".repeat(RelayApp.MAX_JSON) + "\"}";
    assertThat(browser.post("/api/resource-5", big, "X-CSRF-Token", browser.csrf()).status()).isEqualTo(413);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void identicalConcurrentReportRequestsRunOnce() {
    browser.login();
    upstream.everyAnswerDelayMillis = 1000;
    String csrf = browser.csrf();
    List<Browser.Response> answers = Concurrently.run(8, () ->
        browser.post("/api/reports", "{\"month\":\"2026-10\"}", "X-CSRF-Token", csrf));
    for (Browser.Response answer : answers) assertThat(answer.status()).isEqualTo(200);
    assertThat(upstream.received).hasSize(1);
    browser.post("/api/reports", "{\"month\":\"2026-11\"}", "X-CSRF-Token", browser.csrf());
    assertThat(upstream.received).hasSize(2);
  }
}
