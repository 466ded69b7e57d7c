package dev.vestibule.examples.identity;

import static dev.vestibule.examples.identity.RunningApp.PUBLIC_URL;
import static dev.vestibule.examples.identity.RunningApp.freshEmail;
import static dev.vestibule.examples.identity.RunningApp.newKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.Concurrently;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The identity app over real HTTP, with its mails read from a real SMTP server (GreenMail). */
class IdentityAppTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withPerMethodLifecycle(false);

  @TempDir Path folder;
  private final Mailbox mailbox = new Mailbox(smtp);
  private RunningApp app;

  @BeforeEach
  void start() throws Exception {
    app = new RunningApp(folder, smtp.getSmtp().getPort(), RunningApp.GENEROUS_LIMITS);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  // ---- programs, with API keys ----

  @Test
  void aProgramReadsTheInventoryWithAKeyOfEnoughPrivilegeAndTheKeyIsNeverEchoed() {
    Browser owner = app.registered("Ada", freshEmail("ada"));
    String demo = newKey(owner, "demo");
    String restricted = newKey(owner, "restricted");
    Browser program = app.browser();

    assertThat(program.get("/machine/inventory").status()).isEqualTo(401);
    assertThat(program.get("/machine/inventory", "X-API-KEY", "not-a-key").status()).isEqualTo(401);
    assertThat(program.get("/machine/inventory", "X-API-KEY", demo).status()).isEqualTo(403);

    Browser.Response read = program.get("/machine/inventory", "X-API-KEY", restricted);
    assertThat(read.status()).isEqualTo(200);
    JsonObject caller = read.json().getJsonObject("caller");
    assertThat(caller.getString("privilege")).isEqualTo("restricted");
    assertThat(caller.getString("userId")).isEqualTo(owner.get("/auth/session").json().getJsonObject("user").getString("id"));
    assertThat(caller.getString("tokenId")).isNotBlank();
    assertThat(read.body()).doesNotContain(restricted);
  }

  @Test
  void addingStockNeedsAProtectedKeyAndAValidItemWithinTheBodyLimit() {
    Browser owner = app.registered("Bea", freshEmail("bea"));
    String restricted = newKey(owner, "restricted");
    String protectedKey = newKey(owner, "protected");
    Browser program = app.browser();
    String bolts = new JsonObject().put("sku", "bolt-m6").put("quantity", 40).encode();

    assertThat(program.post("/machine/inventory", bolts, "X-API-KEY", restricted).status()).isEqualTo(403);
    Browser.Response added = program.post("/machine/inventory", bolts, "X-API-KEY", protectedKey);
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.json().getInteger("inStock")).isEqualTo(40);
    assertThat(added.json().getJsonObject("caller").getString("privilege")).isEqualTo("protected");
    assertThat(program.post("/machine/inventory", bolts, "X-API-KEY", protectedKey).json().getInteger("inStock"))
        .isEqualTo(80);

    String negative = new JsonObject().put("sku", "nut-m6").put("quantity", -1).encode();
    assertThat(program.post("/machine/inventory", negative, "X-API-KEY", protectedKey).status()).isEqualTo(400);
    String huge = new JsonObject().put("sku", "x".repeat(MachineApi.MAX_ITEM_BODY)).put("quantity", 1).encode();
    assertThat(program.post("/machine/inventory", huge, "X-API-KEY", protectedKey).status()).isEqualTo(413);

    Browser.Response stock = program.get("/machine/inventory", "X-API-KEY", restricted);
    assertThat(stock.json().getJsonObject("items").getMap()).containsExactly(Map.entry("bolt-m6", 80));
  }

  @Test
  void identicalConcurrentReportRequestsWithOneKeyCompileTheReportOnce() {
    Browser owner = app.registered("Cy", freshEmail("cy"));
    String key = newKey(owner, "restricted");
    Browser program = app.browser();

    List<Browser.Response> answers = Concurrently.run(8, () -> program.get("/machine/inventory/report", "X-API-KEY", key));

    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(answers).extracting(Browser.Response::body).containsOnly(answers.get(0).body());
    assertThat(app.inventory.reportsCompiled()).isEqualTo(1);
    assertThat(program.get("/machine/inventory/report", "X-API-KEY", key).status()).isEqualTo(200);
    assertThat(app.inventory.reportsCompiled()).isEqualTo(2);
  }

  // ---- people, managing their keys ----

  @Test
  void aLoggedInUserSummarisesTheirKeysWithTheCsrfHeader() {
    Browser owner = app.registered("Dot", freshEmail("dot"));
    newKey(owner, "demo");
    newKey(owner, "restricted");
    String used = newKey(owner, "restricted");
    app.browser().get("/machine/inventory", "X-API-KEY", used);

    Browser.Response summary = owner.post("/account/keys/summary", "{}", "X-CSRF-Token", owner.csrf());

    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.json().getInteger("keys")).isEqualTo(3);
    assertThat(summary.json().getInteger("neverUsed")).isEqualTo(2);
    assertThat(summary.json().getJsonObject("byPrivilege").getInteger("restricted")).isEqualTo(2);
    assertThat(summary.json().getJsonObject("byPrivilege").getInteger("demo")).isEqualTo(1);
    assertThat(owner.post("/account/keys/summary", "{}").status()).isEqualTo(403);
    assertThat(owner.get("/account/keys/summary").status()).isEqualTo(405);
    assertThat(app.browser().post("/account/keys/summary", "{}").status()).isEqualTo(401);
  }

  // ---- logins by mailed link ----

  @Test
  void aMailedLinkOpensTheWelcomePageOnceAndStartsASession() throws Exception {
    String email = freshEmail("eve");
    app.registered("Eve", email);
    Browser browser = app.browser();

    Browser.Response asked = browser.post("/login/email-link",
        new JsonObject().put("email", email).put("returnTo", "/orders?id=7").encode());
    assertThat(asked.status()).isEqualTo(202);
    String link = mailbox.loginLink(email);
    assertThat(link).startsWith(PUBLIC_URL + "/welcome?token=");
    String path = link.substring(PUBLIC_URL.length());
    Browser replayer = browser.copy();

    Browser.Response welcome = browser.get(path);
    assertThat(welcome.status()).isEqualTo(200);
    assertThat(welcome.json().getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(welcome.json().getString("returnTo")).isEqualTo("/orders?id=7");
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getString("name")).isEqualTo("Eve");

    Browser.Response replay = replayer.get(path);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replayer.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void askingForALinkAnswersAlikeForAnUnknownAddressAndMailsOnlyTheKnownOne() throws Exception {
    String known = freshEmail("fay");
    app.registered("Fay", known);
    String unknown = freshEmail("nobody");

    // The unknown address first: mails go out in order, so once the known one's arrived, the other was handled.
    Browser.Response forUnknown = app.browser().post("/login/email-link", new JsonObject().put("email", unknown).encode());
    Browser.Response forKnown = app.browser().post("/login/email-link", new JsonObject().put("email", known).encode());

    assertThat(forKnown.status()).isEqualTo(202);
    assertThat(forUnknown.status()).isEqualTo(forKnown.status());
    assertThat(forUnknown.body()).isEqualTo(forKnown.body());
    mailbox.loginLink(known);
    Thread.sleep(300);
    assertThat(mailbox.to(unknown)).isEmpty();
  }

  @Test
  void aBrowserGetsAWelcomePageWithTheUsersNameEscapedAndAReturnToOffThisSiteLandsHome() throws Exception {
    String email = freshEmail("gus");
    app.registered("<b>Gus</b>", email);
    Browser browser = app.browser();
    browser.post("/login/email-link", new JsonObject().put("email", email).put("returnTo", "//evil.example/x").encode());
    String path = mailbox.loginLink(email).substring(PUBLIC_URL.length());

    Browser.Response page = browser.get(path, "Accept", "text/html");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("Welcome, &lt;b&gt;Gus&lt;/b&gt;").doesNotContain("<b>Gus</b>");
    assertThat(page.body()).contains("<a href=\"/\">Continue</a>");
  }

  @Test
  void onceLoggedInAskingForALinkNeedsTheCsrfHeader() {
    String email = freshEmail("hal");
    Browser browser = app.registered("Hal", email);
    String body = new JsonObject().put("email", email).encode();

    assertThat(browser.post("/login/email-link", body).status()).isEqualTo(403);
    assertThat(browser.post("/login/email-link", body, "X-CSRF-Token", browser.csrf()).status()).isEqualTo(202);
  }

  @Test
  void askingForLinksToOneAddressTooOftenGets429WithRetryAfter(@TempDir Path otherFolder) throws Exception {
    try (RunningApp strict = new RunningApp(otherFolder, smtp.getSmtp().getPort(),
        "{login: 1000/1m, register: 1000/1m, codes: 2/1m}")) {
      String body = new JsonObject().put("email", freshEmail("ivy")).encode();

      assertThat(strict.browser().post("/login/email-link", body).status()).isEqualTo(202);
      assertThat(strict.browser().post("/login/email-link", body).status()).isEqualTo(202);
      Browser.Response third = strict.browser().post("/login/email-link", body);

      assertThat(third.status()).isEqualTo(429);
      assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 60L);
      String other = new JsonObject().put("email", freshEmail("jon")).encode();
      assertThat(strict.browser().post("/login/email-link", other).status()).isEqualTo(202);
    }
  }

  // ---- logins with a mailed code ----

  @Test
  void aUserWithMfaFinishesTheirLoginWithTheMailedCodeOnTheAppsOwnRoute() throws Exception {
    String email = freshEmail("kim");
    Browser setup = app.registered("Kim", email);
    assertThat(setup.post("/auth/mfa", "{\"enabled\":true}", "X-CSRF-Token", setup.csrf()).status()).isEqualTo(200);
    Browser browser = app.browser();

    Browser.Response password = browser.post("/auth/login",
        new JsonObject().put("email", email).put("password", RunningApp.PASSWORD).encode());
    assertThat(password.status()).isEqualTo(202);
    assertThat(password.json().getBoolean("mfaRequired")).isTrue();
    assertThat(browser.cookies).containsKey("vestibule-mfa").doesNotContainKey("vestibule");
    String code = mailbox.loginCode(email);

    Browser.Response wrong = browser.post("/login/code", new JsonObject().put("code", otherThan(code)).encode());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().getInteger("attemptsLeft")).isPositive();
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
    Browser replayer = browser.copy();

    Browser.Response right = browser.post("/login/code", new JsonObject().put("code", code).encode());
    assertThat(right.status()).isEqualTo(200);
    assertThat(right.json().getString("welcome")).isEqualTo("Kim");
    assertThat(right.json().getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    assertThat(replayer.post("/login/code", new JsonObject().put("code", code).encode()).status()).isEqualTo(401);
  }

  @Test
  void theCodeRouteTakesOnlyPostsFromABrowserWaitingForACode() {
    Browser browser = app.browser();

    Browser.Response get = browser.get("/login/code");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(browser.post("/login/code", "{\"code\":\"1234567\"}").status()).isEqualTo(401);
    assertThat(browser.post("/welcome?token=whatever", "{}").status()).isEqualTo(405);
  }

  private static String otherThan(String code) {
    return String.format("%07d", (Integer.parseInt(code) + 1) % 10_000_000);
  }
}
