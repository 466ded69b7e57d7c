package dev.vestibule.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.Vestibule;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.Concurrently;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each guard on its own, in an app that serves its own routes. */
class GuardsTest {
  private Vertx vertx;
  private FakeProvider provider;
  private Browser browser;
  private final AtomicInteger reportRuns = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    provider = new FakeProvider();
    Vestibule vestibule = Vestibule.fromYaml(vertx, TestGateway.oauth2Config(provider, ""), Map.of());
    Guards guards = vestibule.guards();
    Router router = Router.router(vertx);
    vestibule.mountAuthEndpoints(router);
    router.get("/me").handler(guards.authenticated(ctx -> ctx.json(new JsonObject()
        .put("email", Verified.of(ctx).user().get("email"))
        .put("hasToken", Verified.of(ctx).accessToken().isPresent()))));
    router.get("/maybe").handler(guards.optional(ctx -> ctx.json(new JsonObject()
        .put("guest", Verified.of(ctx).session().isEmpty()))));
    router.route("/changes").handler(guards.authenticated(guards.csrf(ctx -> ctx.json(new JsonObject().put("ok", true)))));
    router.route("/notes").handler(guards.authenticatedPost(guards.byteLimit(64, Set.of(), ctx -> ctx.json(new JsonObject()
        .put("json", Verified.of(ctx).json().orElse(null))
        .put("empty", Verified.of(ctx).body().isEmpty())))));
    router.route("/upload").handler(guards.byteLimit(64, Set.of(HttpMethod.PUT), ctx -> ctx.json(new JsonObject()
        .put("read", Verified.of(ctx).body().map(b -> b.length()).orElse(0)))));
    router.route("/report").handler(guards.authenticated(guards.byteLimit(1024, Set.of(), guards.deduplicated(ctx -> {
      reportRuns.incrementAndGet();
      Promise<Reply> later = Promise.promise();
      vertx.setTimer(1000, id -> later.complete(Reply.json(200, new JsonObject().put("run", reportRuns.get()))));
      return later.future();
    }))));
    router.route().failureHandler(vestibule.failureHandler());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    browser = new Browser("http://127.0.0.1:" + server.actualPort());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    provider.close();
  }

  @Test
  void authenticatedHandsTheHandlerTheUserAndRefusesGuestsWith401() {
    assertThat(browser.get("/me").status()).isEqualTo(401);
    browser.login();
    Browser.Response me = browser.get("/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(FakeProvider.USER);
    assertThat(me.json().getBoolean("hasToken")).isTrue();
  }

  @Test
  void authenticatedRefreshesAnExpiringTokenBeforeTheHandlerRuns() {
    provider.accessTokenSeconds = 10;
    browser.login();
    String before = browser.cookies.get("vestibule");
    assertThat(browser.get("/me").status()).isEqualTo(200);
    assertThat(provider.refreshGrants).hasValue(1);
    assertThat(browser.cookies.get("vestibule")).isNotEqualTo(before);
  }

  @Test
  void optionalLetsGuestsThroughAndEndsARejectedSessionAsAGuest() {
    assertThat(browser.get("/maybe").json().getBoolean("guest")).isTrue();
    browser.login();
    assertThat(browser.get("/maybe").json().getBoolean("guest")).isFalse();
    provider.accessTokenSeconds = 10;
    browser.login();
    provider.refreshMode = FakeProvider.RefreshMode.REJECT;
    Browser.Response rejected = browser.get("/maybe");
    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.json().getBoolean("guest")).isTrue();
    assertThat(browser.cookies).doesNotContainKey("vestibule");
  }

  @Test
  void optionalAnswers503WhileTheProviderIsDown() {
    provider.accessTokenSeconds = 10;
    browser.login();
    provider.refreshMode = FakeProvider.RefreshMode.FAIL_503;
    Browser.Response down = browser.get("/maybe");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.header("Retry-After")).isNotBlank();
  }

  @Test
  void csrfRefusesUnsafeMethodsWithoutTheSessionsTokenAndLetsReadsThrough() {
    browser.login();
    assertThat(browser.get("/changes").status()).isEqualTo(200);
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      assertThat(browser.send(method, "/changes", HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(403);
      assertThat(browser.send(method, "/changes", HttpRequest.BodyPublishers.noBody(), "X-CSRF-Token", browser.csrf())
          .status()).isEqualTo(200);
    }
  }

  @Test
  void authenticatedPostChecksMethodThenSessionThenCsrf() {
    assertThat(browser.get("/notes").status()).isEqualTo(405);
    assertThat(browser.post("/notes", "{}").status()).isEqualTo(401);
    browser.login();
    assertThat(browser.post("/notes", "{}").status()).isEqualTo(403);
    Browser.Response ok = browser.post("/notes", "{\"text\":\"hi\"}", "X-CSRF-Token", browser.csrf());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("json").getString("text")).isEqualTo("hi");
  }

  @Test
  void byteLimitRefusesLargeBodiesParsesJsonAndLeavesAnEmptyBodyEmpty() {
    browser.login();
    String csrf = browser.csrf();
    assertThat(browser.post("/notes", "{\"text\":\"" + "x".repeat(100) + "\"}", "X-CSRF-Token", csrf).status())
        .isEqualTo(413);
    assertThat(browser.post("/notes", "{not json", "X-CSRF-Token", csrf).status()).isEqualTo(400);
    Browser.Response empty = browser.send("POST", "/notes", HttpRequest.BodyPublishers.noBody(), "X-CSRF-Token", csrf);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json().getBoolean("empty")).isTrue();
  }

  @Test
  void byteLimitCountsAStreamedBodyWithoutContentLength() {
    var chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[500]));
    assertThat(browser.send("PUT", "/upload", chunked).status()).isEqualTo(413);
  }

  @Test
  void byteLimitOnlyReadsTheMethodsItNames() {
    Browser.Response post = browser.send("POST", "/upload", HttpRequest.BodyPublishers.ofString("x".repeat(500)));
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.json().getInteger("read")).isZero();
  }

  @Test
  void deduplicatedRunsIdenticalConcurrentRequestsOnceAndSharesTheAnswer() {
    browser.login();
    List<Browser.Response> answers = Concurrently.run(10, () -> browser.send("POST", "/report",
        HttpRequest.BodyPublishers.ofString("{\"q\":1}"), "Content-Type", "application/json"));
    for (Browser.Response answer : answers) assertThat(answer.json().getInteger("run")).isEqualTo(1);
    assertThat(reportRuns).hasValue(1);
    browser.send("POST", "/report", HttpRequest.BodyPublishers.ofString("{\"q\":2}"), "Content-Type", "application/json");
    assertThat(reportRuns).hasValue(2);
  }

  @Test
  void deduplicatedNeverSharesAcrossSessions() {
    browser.login();
    Browser other = new Browser(browser.base());
    other.login();
    AtomicInteger turn = new AtomicInteger();
    Concurrently.run(2, () -> (turn.getAndIncrement() == 0 ? browser : other)
        .send("POST", "/report", HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(reportRuns).hasValue(2);
  }
}
