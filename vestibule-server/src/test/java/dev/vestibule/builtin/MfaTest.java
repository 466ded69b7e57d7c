package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertOAuthError;
import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A second factor by mailed 7-digit code, through a real SMTP server (GreenMail): SPEC §7 MFA. */
class MfaTest {
  private static final Pattern CODE = Pattern.compile("\\b([0-9]{7})\\b");
  private static final String MFA_COOKIE = "vestibule-mfa";

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withPerMethodLifecycle(false);

  @TempDir static Path folder;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new BuiltinYaml(TestDatabase.sqlite(folder).url()).smtp(smtp.getSmtp().getPort()).start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Browser browser(TestGateway on) {
    return new Browser(on.url(""));
  }

  /** A registered user with MFA turned on; returns the address. */
  private static String userWithMfa(TestGateway on, String name) {
    Browser browser = browser(on);
    String email = Users.freshEmail(name.toLowerCase());
    assertThat(Users.register(browser, name, email, Users.PASSWORD).status()).isEqualTo(201);
    Browser.Response on2 = setMfa(browser, true);
    assertThat(on2.status()).as(on2.body()).isEqualTo(200);
    return email;
  }

  private static Browser.Response setMfa(Browser browser, Object enabled) {
    return browser.post("/auth/mfa", new JsonObject().put("enabled", enabled).encode(), "X-CSRF-Token", browser.csrf());
  }

  private static Browser.Response login(Browser browser, String email) {
    return browser.post("/auth/login", Users.credentials(email, Users.PASSWORD));
  }

  private static Browser.Response verify(Browser browser, Object code, String... headers) {
    return browser.post("/auth/mfa/verify", new JsonObject().put("code", code).encode(), headers);
  }

  private static String mailedCode(String email) throws Exception {
    return Mailbox.newest(smtp, email, CODE);
  }

  private static String wrongCode(String code) {
    return code.equals("0000000") ? "0000001" : "0000000";
  }

  @Test
  void aUserTurnsMfaOnAndTheSessionShowsIt() {
    Browser browser = browser(gateway);
    Users.register(browser, "Ada", Users.freshEmail("ada"), Users.PASSWORD);
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getBoolean("mfaEnabled")).isFalse();

    Browser.Response on = setMfa(browser, true);

    assertThat(on.status()).isEqualTo(200);
    assertThat(on.json()).isEqualTo(new JsonObject().put("mfaEnabled", true));
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getBoolean("mfaEnabled")).isTrue();
  }

  @Test
  void turningMfaOnNeedsASessionTheCsrfHeaderAndABoolean() {
    assertProblem(browser(gateway).post("/auth/mfa", "{\"enabled\": true}"), 401);
    Browser browser = browser(gateway);
    Users.register(browser, "Bo", Users.freshEmail("bo"), Users.PASSWORD);
    assertProblem(browser.post("/auth/mfa", "{\"enabled\": true}"), 403);
    assertProblem(setMfa(browser, "yes"), 400);
    assertProblem(browser.post("/auth/mfa", "", "X-CSRF-Token", browser.csrf()), 400);
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getBoolean("mfaEnabled")).isFalse();
  }

  @Test
  void withMfaOnThePasswordAloneGives202AChallengeCookieAndAMailedCodeButNoSession() throws Exception {
    String email = userWithMfa(gateway, "Cy");
    Browser browser = browser(gateway);

    Browser.Response first = login(browser, email);

    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json()).isEqualTo(new JsonObject().put("mfaRequired", true));
    assertThat(first.setCookie("vestibule")).isNull();
    assertThat(first.setCookie("vestibule-csrf")).isNull();
    assertThat(first.setCookie(MFA_COOKIE)).contains("HttpOnly", "SameSite=Strict", "Path=/").containsPattern("Max-Age=(59[0-9]|600);");
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
    assertThat(mailedCode(email)).hasSize(7);
    assertThat(smtp.getReceivedMessagesForDomain(email)[0].getSubject()).isEqualTo("Your login code");
  }

  @Test
  void theMailedCodeGivesTheSessionOnceAndEndsTheChallenge() throws Exception {
    String email = userWithMfa(gateway, "Dee");
    Browser browser = browser(gateway);
    login(browser, email);
    String code = mailedCode(email);
    Browser replay = browser.copy();

    Browser.Response done = verify(browser, code);

    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.json().getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(done.setCookie("vestibule")).contains("HttpOnly");
    assertThat(done.setCookie(MFA_COOKIE)).contains("Max-Age=0");
    assertThat(browser.csrf()).isNotBlank();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);

    Browser.Response again = verify(replay, code);
    assertProblem(again, 401);
    assertThat(again.setCookie("vestibule")).isNull();
  }

  @Test
  void aCodeSentAsAJsonNumberKeepsItsLeadingZeros() throws Exception {
    // Log in until the mailed code starts with a zero (one in ten), then send it as a number.
    String email = userWithMfa(gateway, "Zed");
    for (int tries = 0; tries < 200; tries++) {
      Browser browser = browser(gateway);
      smtp.purgeEmailFromAllMailboxes();
      login(browser, email);
      String code = mailedCode(email);
      if (code.startsWith("0")) {
        assertThat(verify(browser, Integer.parseInt(code)).status()).isEqualTo(200);
        return;
      }
      assertThat(verify(browser, Long.parseLong(code)).status()).isEqualTo(200);
    }
    throw new AssertionError("no code with a leading zero in 200 logins");
  }

  @Test
  void fiveWrongCodesAre401WithTheAttemptsLeftThen429AndNotEvenTheRightCodeWorksAfter() throws Exception {
    String email = userWithMfa(gateway, "Eve");
    Browser browser = browser(gateway);
    login(browser, email);
    String code = mailedCode(email);
    Browser holdsChallenge = browser.copy();

    for (int left = 4; left >= 0; left--) {
      Browser.Response wrong = verify(browser, wrongCode(code));
      assertProblem(wrong, 401);
      assertThat(wrong.json().getInteger("attemptsLeft")).isEqualTo(left);
    }
    Browser.Response sixth = verify(browser, wrongCode(code));
    assertProblem(sixth, 429);
    assertThat(sixth.header("Retry-After")).isNotBlank();
    assertThat(sixth.setCookie(MFA_COOKIE)).contains("Max-Age=0");

    assertProblem(verify(holdsChallenge, code), 429);
    assertThat(holdsChallenge.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void aNewLoginReplacesTheCodeOfTheOneBefore() throws Exception {
    String email = userWithMfa(gateway, "Fay");
    Browser first = browser(gateway);
    login(first, email);
    String firstCode = mailedCode(email);
    smtp.purgeEmailFromAllMailboxes();
    Browser second = browser(gateway);
    login(second, email);
    String secondCode = mailedCode(email);

    assertProblem(verify(first, firstCode), 401);
    assertThat(verify(second, secondCode).status()).isEqualTo(200);
  }

  @Test
  void withoutAChallengeCookieThereIsNothingToVerify() {
    Browser.Response answer = verify(browser(gateway), "1234567");
    assertProblem(answer, 401);
    assertThat(answer.json().getString("type")).endsWith("mfa-challenge-missing");
  }

  @Test
  void malformedRequestsAreClearProblems() throws Exception {
    String email = userWithMfa(gateway, "Gus");
    Browser browser = browser(gateway);
    login(browser, email);
    assertProblem(browser.post("/auth/mfa/verify", "{}"), 400);
    assertProblem(browser.post("/auth/mfa/verify", "not json"), 400);
    assertProblem(browser.post("/auth/mfa/verify", "{\"code\": \"" + "1".repeat(2_000) + "\"}"), 413);
    assertThat(browser.get("/auth/mfa/verify").status()).isEqualTo(405);
    assertThat(verify(browser, mailedCode(email)).status()).as("none of these used an attempt up").isEqualTo(200);
  }

  @Test
  void turningMfaOffLogsInWithThePasswordAloneAgain() throws Exception {
    String email = userWithMfa(gateway, "Hal");
    Browser browser = browser(gateway);
    login(browser, email);
    verify(browser, mailedCode(email));

    assertThat(setMfa(browser, false).status()).isEqualTo(200);

    Browser.Response plain = login(browser(gateway), email);
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.setCookie("vestibule")).isNotNull();
  }

  @Test
  void anotherGatewaysPasswordGrantCannotSkipTheCode() {
    String email = userWithMfa(gateway, "Ivy");
    Browser.Response grant = new OAuthCalls(gateway.url("")).password(email, Users.PASSWORD);
    assertOAuthError(grant, 400, "invalid_grant");
    assertThat(grant.json().getString("error_description")).contains("/auth/login");
  }

  @Test
  void withAnotherUsersSessionInTheBrowserTheCodeStepNeedsItsCsrfHeader() throws Exception {
    Browser shared = browser(gateway);
    Users.register(shared, "Jo", Users.freshEmail("jo"), Users.PASSWORD);
    String email = userWithMfa(gateway, "Kim");
    login(shared, email);
    String code = mailedCode(email);

    assertProblem(verify(shared, code), 403);
    Browser.Response done = verify(shared, code, "X-CSRF-Token", shared.csrf());
    assertThat(done.status()).isEqualTo(200);
    assertThat(shared.get("/auth/session").json().getJsonObject("user").getString("email")).isEqualTo(email);
  }

  @Test
  void aCodeOlderThanMfaCodeTtlIsRefused(@TempDir Path otherFolder) throws Exception {
    try (TestGateway shortLived = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url())
        .smtp(smtp.getSmtp().getPort()).identity("mfaCodeTtl: 1s").start()) {
      String email = userWithMfa(shortLived, "Lou");
      Browser browser = browser(shortLived);
      login(browser, email);
      String code = mailedCode(email);

      Thread.sleep(1_200);

      assertProblem(verify(browser, code, "Cookie", MFA_COOKIE + "=" + browser.cookies.get(MFA_COOKIE)), 401);
    }
  }

  @Test
  void wrongCodesCountPerAccountAcrossLogins(@TempDir Path otherFolder) throws Exception {
    try (TestGateway strict = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).smtp(smtp.getSmtp().getPort())
        .limits("{login: 100/1m, register: 100/1m, codes: 3/1m}").start()) {
      String email = userWithMfa(strict, "Max");
      Browser first = browser(strict);
      login(first, email);
      String code = mailedCode(email);
      for (int i = 0; i < 3; i++) assertProblem(verify(first, wrongCode(code)), 401);
      assertProblem(verify(first, wrongCode(code)), 429);

      smtp.purgeEmailFromAllMailboxes();
      Browser second = browser(strict);
      login(second, email);
      Browser.Response blocked = verify(second, mailedCode(email));
      assertProblem(blocked, 429);
      assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
      assertThat(second.get("/auth/session").status()).isEqualTo(401);
    }
  }
}
