package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Logging in by a mailed link, through a real SMTP server (GreenMail): SPEC §7 {@code /auth/magic-link}. */
class MagicLinkTest {
  private static final String PUBLIC_URL = "http://localhost:8080";
  private static final Pattern LINK =
      Pattern.compile(Pattern.quote(PUBLIC_URL + "/auth/magic-link/verify?token=") + "([A-Za-z0-9_%-]+)");

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withPerMethodLifecycle(false);

  @TempDir static Path folder;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new BuiltinYaml(TestDatabase.sqlite(folder).url()).publicUrl(PUBLIC_URL).smtp(smtp.getSmtp().getPort()).start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private Browser browser() {
    return new Browser(gateway.url(""));
  }

  private String register(String name) {
    String email = Users.freshEmail(name.toLowerCase());
    assertThat(Users.register(browser(), name, email, Users.PASSWORD).status()).isEqualTo(201);
    return email;
  }

  private static Browser.Response ask(Browser browser, String email, String returnTo, String... headers) {
    JsonObject body = new JsonObject().put("email", email);
    if (returnTo != null) body.put("returnTo", returnTo);
    return browser.post("/auth/magic-link", body.encode(), headers);
  }

  private String mailedToken(String email) throws Exception {
    return Mailbox.newest(smtp, email, LINK);
  }

  private static Browser.Response follow(Browser browser, String token, String... headers) {
    return browser.get("/auth/magic-link/verify?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), headers);
  }

  @Test
  void aKnownAndAnUnknownAddressGetTheSameAnswerAndOnlyTheKnownOneAMail() throws Exception {
    String email = register("Ada");
    String nobody = Users.freshEmail("nobody");

    Browser.Response unknown = ask(browser(), nobody, "/notes");
    Browser.Response known = ask(browser(), email, "/notes");

    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(unknown.body()).isEqualTo(known.body());
    assertThat(unknown.headers().keySet()).isEqualTo(known.headers().keySet());
    mailedToken(email);
    assertThat(Mailbox.count(smtp, nobody)).isZero();
    String text = smtp.getReceivedMessagesForDomain(email)[0].getContent().toString();
    assertThat(text).contains("15 minutes");
    assertThat(smtp.getReceivedMessagesForDomain(email)[0].getSubject()).isEqualTo("Your login link");
  }

  @Test
  void theLinkLogsInOnceAndLandsOnTheReturnPath() throws Exception {
    String email = register("Bea");
    assertThat(ask(browser(), email, "/notes?tab=mine").status()).isEqualTo(202);
    String token = mailedToken(email);
    Browser mailClient = browser();

    Browser.Response landed = follow(mailClient, token);

    assertThat(landed.status()).isEqualTo(302);
    assertThat(landed.header("Location")).isEqualTo("/notes?tab=mine");
    assertThat(landed.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(landed.setCookie("vestibule")).contains("HttpOnly");
    assertThat(mailClient.csrf()).isNotBlank();
    Browser.Response session = mailClient.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("email")).isEqualTo(email);

    Browser replay = browser();
    Browser.Response again = follow(replay, token);
    assertProblem(again, 401);
    assertThat(again.json().getString("login")).startsWith("/login");
    assertThat(again.setCookie("vestibule")).isNull();
    assertThat(replay.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void withoutReturnToTheLinkLandsOnTheHomePage() throws Exception {
    String email = register("Cy");
    ask(browser(), email, null);
    assertThat(follow(browser(), mailedToken(email)).header("Location")).isEqualTo("/");
  }

  @Test
  void aReturnToOnAnotherSiteIsReplacedByTheHomePage() throws Exception {
    String email = register("Dee");
    for (String elsewhere : new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example",
        "javascript:alert(1)"}) {
      smtp.purgeEmailFromAllMailboxes();
      assertThat(ask(browser(), email, elsewhere).status()).as(elsewhere).isEqualTo(202);
      assertThat(follow(browser(), mailedToken(email)).header("Location")).as(elsewhere).isEqualTo("/");
    }
  }

  @Test
  void aBrowserFollowingAnUnusableLinkGoesToTheLoginPage() {
    Browser.Response landed = browser().get("/auth/magic-link/verify?token=made-up", "Accept", "text/html",
        "Sec-Fetch-Mode", "navigate");
    assertThat(landed.status()).isEqualTo(302);
    assertThat(landed.header("Location")).isEqualTo("/login?error=link-invalid");
  }

  @Test
  void aMissingTokenIsRefusedLikeAWrongOne() {
    assertProblem(browser().get("/auth/magic-link/verify"), 401);
    assertProblem(browser().get("/auth/magic-link/verify?token="), 401);
  }

  @Test
  void theLinkReplacesTheSessionOfAnotherUserInThatBrowser() throws Exception {
    Browser shared = browser();
    String ada = Users.freshEmail("ada");
    Users.register(shared, "Ada", ada, Users.PASSWORD);
    String oldCsrf = shared.csrf();
    String bea = register("Bea");
    ask(browser(), bea, "/").status();

    follow(shared, mailedToken(bea));

    assertThat(shared.get("/auth/session").json().getJsonObject("user").getString("email")).isEqualTo(bea);
    assertThat(shared.csrf()).isNotEqualTo(oldCsrf);
  }

  @Test
  void onceASessionExistsAskingForALinkNeedsTheCsrfHeader() throws Exception {
    Browser browser = browser();
    String email = Users.freshEmail("eve");
    Users.register(browser, "Eve", email, Users.PASSWORD);
    assertProblem(ask(browser, email, "/"), 403);
    assertThat(ask(browser, email, "/", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(202);
  }

  @Test
  void badRequestsAreClearProblems() {
    assertThat(browser().send("POST", "/auth/magic-link", java.net.http.HttpRequest.BodyPublishers.ofString("email=a@b.c"),
        "Content-Type", "application/x-www-form-urlencoded").status()).isEqualTo(415);
    assertProblem(browser().post("/auth/magic-link", "[1, 2]"), 400);
    assertThat(browser().post("/auth/magic-link/verify?token=x", "{}").status()).isEqualTo(405);
  }

  @Test
  void aLinkOlderThanMagicLinkTtlIsRefused(@TempDir Path otherFolder) throws Exception {
    try (TestGateway shortLived = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).identity("magicLinkTtl: 1s").start()) {
      Browser browser = new Browser(shortLived.url(""));
      String email = Users.freshEmail("fay");
      Users.register(browser.copy(), "Fay", email, Users.PASSWORD);
      assertThat(ask(browser, email, "/").status()).isEqualTo(202);
      String token = mailedToken(email);

      Thread.sleep(1_200);

      assertProblem(follow(browser, token), 401);
    }
  }

  @Test
  void askingTooOftenForOneAddressIsStill202ButSendsNoMoreMail(@TempDir Path otherFolder) throws Exception {
    try (TestGateway strict = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).limits("{login: 100/1m, register: 100/1m, codes: 2/1m}").start()) {
      Browser browser = new Browser(strict.url(""));
      String email = Users.freshEmail("gus");
      String other = Users.freshEmail("hal");
      Users.register(browser.copy(), "Gus", email, Users.PASSWORD);
      Users.register(browser.copy(), "Hal", other, Users.PASSWORD);
      assertThat(ask(browser, email, "/").status()).isEqualTo(202);
      assertThat(ask(browser, email.toUpperCase(), "/").status()).isEqualTo(202);

      Browser.Response third = ask(browser, email, "/");

      assertThat(third.status()).as("no answer tells a budget ran out").isEqualTo(202);
      assertThat(ask(browser, other, "/").status()).isEqualTo(202);
      assertThat(Mailbox.countAfterWaitingFor(smtp, other, 1)).as("another address has its own budget").isEqualTo(1);
      assertThat(Mailbox.countAfterWaitingFor(smtp, email, 2)).isEqualTo(2);
    }
  }

  @Test
  void oneClientAskingForLinksToManyAddressesStopsGettingThemMailed(@TempDir Path otherFolder) throws Exception {
    try (TestGateway strict = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).limits("{login: 100/1m, register: 100/1m, codes: 1/1m}").start()) {
      Browser browser = new Browser(strict.url(""));
      String email = Users.freshEmail("ike");
      Users.register(browser.copy(), "Ike", email, Users.PASSWORD);
      // Twenty addresses' worth per client address: see Vestibule.MAIL_ACCOUNTS_PER_IP.
      for (int i = 0; i < 20; i++) assertThat(ask(browser, Users.freshEmail("nobody" + i), "/").status()).isEqualTo(202);

      assertThat(ask(browser, email, "/").status()).isEqualTo(202);

      assertThat(Mailbox.countAfterWaitingFor(smtp, email, 1)).isZero();
    }
  }

  @Test
  void oneAddressFollowingManyUnusableLinksGets429(@TempDir Path otherFolder) throws Exception {
    try (TestGateway strict = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).limits("{login: 100/1m, register: 100/1m, codes: 1/1m}").start()) {
      Browser browser = new Browser(strict.url(""));
      // One account's worth per address is ten: see Vestibule.perIp.
      for (int i = 0; i < 10; i++) assertProblem(follow(browser, "guess-" + i), 401);
      Browser.Response limited = follow(browser, "guess-10");
      assertProblem(limited, 429);
      assertThat(limited.header("Retry-After")).isNotBlank();
    }
  }
}
