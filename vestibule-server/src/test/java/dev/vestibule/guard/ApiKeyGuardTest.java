package dev.vestibule.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.Vestibule;
import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apiKey and apiManagement guards in an app that serves its own routes with the built-in identity. */
class ApiKeyGuardTest {
  @TempDir Path dir;
  private Vertx vertx;
  private Vestibule vestibule;
  private Browser ada;
  private final AtomicInteger reportRuns = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vestibule = Vestibule.fromYaml(vertx, """
        publicUrl: http://localhost:8080
        session:
          secrets: ["%s"]
        identity:
          type: builtin
          database: jdbc:sqlite:%s
        """.formatted(TestGateway.SECRET, dir.resolve("identity.db").toAbsolutePath()), Map.of());
    Guards guards = vestibule.guards();
    Router router = Router.router(vertx);
    vestibule.mountAuthEndpoints(router);
    router.get("/partners/orders").handler(guards.apiKey(Privilege.PROTECTED, ctx -> {
      ApiKey key = Verified.of(ctx).apiKey().orElseThrow();
      ctx.json(new JsonObject().put("tokenId", key.tokenId()).put("userId", key.userId())
          .put("privilege", key.privilege().label()).put("name", key.name()).put("session", Verified.of(ctx).session().isPresent()));
    }));
    router.get("/partners/report").handler(guards.apiKey(Privilege.CUSTOM, guards.deduplicated(ctx -> {
      reportRuns.incrementAndGet();
      String tokenId = Verified.of(ctx).apiKey().orElseThrow().tokenId();
      Promise<Reply> later = Promise.promise();
      vertx.setTimer(300, id -> later.complete(Reply.json(200, new JsonObject().put("for", tokenId))));
      return later.future();
    })));
    router.route("/settings/echo").handler(guards.apiManagement(ctx -> ctx.json(new JsonObject()
        .put("json", Verified.of(ctx).json().orElse(null)).put("user", Verified.of(ctx).user().get("email")))));
    router.route().failureHandler(vestibule.failureHandler());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    ada = new Browser("http://127.0.0.1:" + server.actualPort());
    assertThat(ada.post("/auth/register", new JsonObject().put("name", "Ada").put("email", "ada@example.org")
        .put("password", "violet-harbour-lantern-42").encode()).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    vestibule.close();
  }

  private JsonObject newKey(String name, String privilege) {
    Browser.Response created = ada.post("/auth/api-keys/new-token",
        new JsonObject().put("name", name).put("privilege", privilege).encode(), "X-CSRF-Token", ada.csrf());
    assertThat(created.status()).isEqualTo(201);
    return created.json();
  }

  private Browser.Response get(String path, String key) {
    return new Browser(ada.base()).get(path, "X-API-KEY", key);
  }

  @Test
  void theHandlerGetsTheVerifiedKeyAndItsOwner() {
    JsonObject key = newKey("partner", "full");
    Browser.Response answer = get("/partners/orders", key.getString("rawApiKey"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getString("tokenId")).isEqualTo(key.getString("tokenId"));
    assertThat(answer.json().getString("userId")).isEqualTo(ada.get("/auth/session").json().getJsonObject("user").getString("id"));
    assertThat(answer.json().getString("privilege")).isEqualTo("full");
    assertThat(answer.json().getString("name")).isEqualTo("partner");
    assertThat(answer.json().getBoolean("session")).isFalse();
  }

  @Test
  void aLowerPrivilegeIs403AndNoKeyIs401() {
    assertThat(get("/partners/orders", newKey("reader", "restricted").getString("rawApiKey")).status()).isEqualTo(403);
    assertThat(new Browser(ada.base()).get("/partners/orders").status()).isEqualTo(401);
    assertThat(get("/partners/orders", "vst_nothing").status()).isEqualTo(401);
  }

  @Test
  void deduplicationNeverSharesAnAnswerBetweenTwoKeys() {
    String first = newKey("one", "demo").getString("rawApiKey");
    String second = newKey("two", "demo").getString("rawApiKey");
    java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    var answers = dev.vestibule.testing.Concurrently.run(2,
        () -> get("/partners/report", turn.getAndIncrement() == 0 ? first : second));
    assertThat(answers.get(0).json().getString("for")).isNotEqualTo(answers.get(1).json().getString("for"));
    assertThat(reportRuns.get()).isEqualTo(2);
  }

  @Test
  void apiManagementNeedsALoginTheCsrfHeaderAndAtMost2Kb() {
    Browser.Response echoed = ada.post("/settings/echo", "{\"tokenId\":\"t-1\"}", "X-CSRF-Token", ada.csrf());
    assertThat(echoed.status()).isEqualTo(200);
    assertThat(echoed.json().getJsonObject("json").getString("tokenId")).isEqualTo("t-1");
    assertThat(echoed.json().getString("user")).isEqualTo("ada@example.org");

    assertThat(ada.post("/settings/echo", "{}").status()).isEqualTo(403);
    assertThat(new Browser(ada.base()).post("/settings/echo", "{}").status()).isEqualTo(401);
    assertThat(ada.get("/settings/echo").status()).isEqualTo(405);
    String big = new JsonObject().put("pad", "x".repeat(Guards.API_MANAGEMENT_MAX_BODY)).encode();
    assertThat(ada.post("/settings/echo", big, "X-CSRF-Token", ada.csrf()).status()).isEqualTo(413);
  }

  @Test
  void withoutTheBuiltinIdentityThereAreNoApiKeyGuards() throws Exception {
    try (FakeProvider provider = new FakeProvider()) {
      Vestibule oauth2 = Vestibule.fromYaml(vertx, TestGateway.oauth2Config(provider, ""), Map.of());
      assertThatThrownBy(() -> oauth2.guards().apiKey(Privilege.DEMO, ctx -> { }))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("identity.type: builtin");
    }
  }
}
