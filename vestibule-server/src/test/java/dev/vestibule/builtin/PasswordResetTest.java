package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertOAuthError;
import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static dev.vestibule.builtin.BuiltinIdentityContract.fieldErrors;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.testing.Browser;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Password reset by mail, through a real SMTP server (GreenMail): SPEC §7. */
class PasswordResetTest {
  private static final String PUBLIC_URL = "http://localhost:8080";
  private static final Pattern LINK = Pattern.compile(Pattern.quote(PUBLIC_URL + "/reset-password?token=") + "([^\\s]+)");
  private static final String NEW_PASSWORD = "quartz-meadow-compass-77";

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withPerMethodLifecycle(false);

  @TempDir static Path folder;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new BuiltinYaml(TestDatabase.sqlite(folder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort())
        .start();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void emptyMailboxes() throws Exception {
    smtp.purgeEmailFromAllMailboxes();
  }

  @Test
  void forgotAnswers202ForAKnownAndAnUnknownAddressAlikeAndMailsOnlyTheKnownOne() throws Exception {
    String email = register("Ada");

    // The unknown address first: mails go out in order, so once the known one's arrived, the other was handled.
    Browser.Response unknown = forgot(new Browser(gateway.url("")), Users.freshEmail("nobody"));
    Browser.Response known = forgot(new Browser(gateway.url("")), email);

    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(known.status());
    assertThat(unknown.body()).isEqualTo(known.body());
    assertThat(unknown.header("Content-Type")).isEqualTo(known.header("Content-Type"));
    assertThat(unknown.header("Cache-Control")).isEqualTo(known.header("Cache-Control"));
    assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
    Thread.sleep(300);
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo(email);
    assertThat(mails[0].getFrom()[0].toString()).isEqualTo("vestibule@example.org");
    assertThat(text(mails[0])).contains(PUBLIC_URL + "/reset-password?token=").contains("30 minutes");
  }

  @Test
  void theMailedTokenSetsANewPasswordOnceAndEndsEveryLoginOfTheUser() throws Exception {
    Browser before = new Browser(gateway.url(""));
    String email = Users.freshEmail("bea");
    assertThat(Users.register(before, "Bea", email, Users.PASSWORD).status()).isEqualTo(201);
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    String refreshToken = oauth.password(email, Users.PASSWORD).json().getString("refresh_token");
    String token = requestResetToken(email);
    Browser stranger = new Browser(gateway.url(""));

    Browser.Response weak = stranger.post("/auth/password/reset", reset(token, "too-short"));
    assertProblem(weak, 400);
    assertThat(fieldErrors(weak)).containsExactly("password");

    Browser.Response done = stranger.post("/auth/password/reset", reset(token, NEW_PASSWORD));
    assertThat(done.status()).isEqualTo(204);

    assertProblem(stranger.post("/auth/password/reset", reset(token, "another-" + NEW_PASSWORD)), 400);
    assertThat(login(email, Users.PASSWORD).status()).isEqualTo(401);
    assertThat(login(email, NEW_PASSWORD).status()).isEqualTo(200);
    assertThat(before.get("/auth/session").status()).isEqualTo(401);
    assertOAuthError(oauth.refresh(refreshToken), 400, "invalid_grant");
  }

  @Test
  void aBadOrMissingTokenIs400() {
    Browser browser = new Browser(gateway.url(""));

    assertProblem(browser.post("/auth/password/reset", reset("no-such-token", NEW_PASSWORD)), 400);
    assertProblem(browser.post("/auth/password/reset", new JsonObject().put("password", NEW_PASSWORD).encode()), 400);
    assertProblem(browser.post("/auth/password/reset", "not json"), 400);
  }

  @Test
  void onceASessionExistsForgotAndResetNeedTheCsrfHeader() throws Exception {
    Browser browser = new Browser(gateway.url(""));
    String email = Users.freshEmail("cy");
    assertThat(Users.register(browser, "Cy", email, Users.PASSWORD).status()).isEqualTo(201);

    assertProblem(forgot(browser, email), 403);
    String token = requestResetToken(email);
    assertProblem(browser.post("/auth/password/reset", reset(token, NEW_PASSWORD)), 403);

    Browser.Response withHeader = browser.post("/auth/password/reset", reset(token, NEW_PASSWORD), "X-CSRF-Token", browser.csrf());
    assertThat(withHeader.status()).isEqualTo(204);
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void loginsEndedByAResetStayEndedWhenTheGatewayRestarts(@TempDir Path otherFolder) throws Exception {
    BuiltinYaml yaml = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort());
    Browser stolen; // a copy of the cookie from before the reset, never shown to the first gateway again
    Browser after;
    try (TestGateway first = yaml.start()) {
      Browser before = new Browser(first.url(""));
      String email = Users.freshEmail("eve");
      assertThat(Users.register(before, "Eve", email, Users.PASSWORD).status()).isEqualTo(201);
      stolen = before.copy();
      Browser stranger = new Browser(first.url(""));
      forgot(stranger, email);
      assertThat(stranger.post("/auth/password/reset", reset(mailedToken(email), NEW_PASSWORD)).status()).isEqualTo(204);
      after = new Browser(first.url(""));
      assertThat(after.post("/auth/login", Users.credentials(email, NEW_PASSWORD)).status()).isEqualTo(200);
      assertThat(after.get("/auth/session").status()).as("the new password's login, maybe in the reset's second")
          .isEqualTo(200);
      assertThat(before.get("/auth/session").status()).isEqualTo(401);
    }

    try (TestGateway second = yaml.start()) {
      assertThat(stolen.copy(second.url("")).get("/auth/session").status())
          .as("the login from before the reset, replayed after a restart").isEqualTo(401);
      assertThat(after.copy(second.url("")).get("/auth/session").status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenOlderThanResetTtlIsRefused(@TempDir Path otherFolder) throws Exception {
    try (TestGateway shortLived = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).identity("resetTtl: 1s").start()) {
      Browser browser = new Browser(shortLived.url(""));
      String email = Users.freshEmail("dot");
      Users.register(browser.copy(), "Dot", email, Users.PASSWORD);
      forgot(browser, email);
      String token = mailedToken(email);

      Thread.sleep(1_200);

      assertProblem(browser.post("/auth/password/reset", reset(token, NEW_PASSWORD)), 400);
    }
  }

  @Test
  void askingTooOftenForOneAddressIsStill202ButSendsNoMoreMail(@TempDir Path otherFolder) throws Exception {
    try (TestGateway strict = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url()).publicUrl(PUBLIC_URL)
        .smtp(smtp.getSmtp().getPort()).limits("{login: 100/1m, register: 100/1m, codes: 2/1m}").start()) {
      Browser browser = new Browser(strict.url(""));
      String email = Users.freshEmail("eli");
      String other = Users.freshEmail("fen");
      Users.register(browser.copy(), "Eli", email, Users.PASSWORD);
      Users.register(browser.copy(), "Fen", other, Users.PASSWORD);
      assertThat(forgot(browser, email).status()).isEqualTo(202);
      assertThat(forgot(browser, " " + email.toUpperCase()).status()).isEqualTo(202);

      Browser.Response third = forgot(browser, email);

      assertThat(third.status()).as("no answer tells a budget ran out").isEqualTo(202);
      assertThat(forgot(browser, other).status()).isEqualTo(202);
      assertThat(Mailbox.countAfterWaitingFor(smtp, other, 1)).as("another address has its own budget").isEqualTo(1);
      assertThat(Mailbox.countAfterWaitingFor(smtp, email, 2)).isEqualTo(2);
    }
  }

  private String register(String name) {
    String email = Users.freshEmail(name.toLowerCase());
    assertThat(Users.register(new Browser(gateway.url("")), name, email, Users.PASSWORD).status()).isEqualTo(201);
    return email;
  }

  private static Browser.Response forgot(Browser browser, String email) {
    return browser.post("/auth/password/forgot", new JsonObject().put("email", email).encode());
  }

  private String requestResetToken(String email) throws Exception {
    assertThat(forgot(new Browser(gateway.url("")), email).status()).isEqualTo(202);
    return mailedToken(email);
  }

  /** The token in the newest reset mail to {@code email}. */
  private static String mailedToken(String email) throws Exception {
    return Mailbox.newest(smtp, email, LINK);
  }

  private static String text(MimeMessage mail) throws Exception {
    return mail.getContent().toString();
  }

  private static String reset(String token, String password) {
    return new JsonObject().put("token", token).put("password", password).encode();
  }

  private Browser.Response login(String email, String password) {
    return new Browser(gateway.url("")).post("/auth/login", Users.credentials(email, password));
  }
}
