package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §7 {@code POST /auth/magic-link} and {@code GET /auth/magic-link/verify}, mails through real SMTP. */
class MagicLinkTest extends DefaultStackTest {
  static Pattern link;
  static Stack.User ada;

  @BeforeAll
  static void start() {
    link = Pattern.compile(Pattern.quote("http://127.0.0.1:" + stack.port() + "/auth/magic-link/verify?token=")
        + "([A-Za-z0-9_%.~-]+)");
    ada = stack.register("Ada");
  }

  private static Http.Answer ask(String email, String returnTo) {
    JsonObject body = new JsonObject().put("email", email);
    if (returnTo != null) body.put("returnTo", returnTo);
    return stack.browser().postJson("/auth/magic-link", body);
  }

  private static Http.Answer follow(Http browser, String token) {
    return browser.get("/auth/magic-link/verify?token=" + Http.enc(token));
  }

  private String newLink(Stack.User user, String returnTo) {
    int before = stack.mail.count(user.email());
    assertThat(ask(user.email(), returnTo).status()).isEqualTo(202);
    return stack.mail.find(user.email(), before + 1, link);
  }

  // "POST /auth/magic-link {email, returnTo?} → 202 always"
  @Test
  void aKnownAndAnUnknownAddressBothGet202AndOnlyTheKnownOneAMail() {
    Stack.User user = stack.register("Known");
    String nobody = Stack.freshEmail("nobody");
    Http.Answer known = ask(user.email(), "/x");
    Http.Answer unknown = ask(nobody, "/x");
    assertThat(known.status()).isEqualTo(202);
    assertThat(unknown.status()).isEqualTo(202);
    assertThat(unknown.body()).isEqualTo(known.body());
    assertThat(stack.mail.countSettled(user.email(), 1)).isEqualTo(1);
    assertThat(stack.mail.count(nobody)).isZero();
  }

  // "a mail with a single-use link to GET /auth/magic-link/verify?token=… valid 15 minutes, which logs in and
  // redirects (302) to returnTo."
  @Test
  void theLinkLogsInAndRedirectsToReturnTo() {
    String token = newLink(ada, "/notes?tab=mine");
    assertThat(stack.mail.text(ada.email(), stack.mail.count(ada.email()))).contains("15 minutes");
    Http browser = stack.browser();
    Http.Answer answer = follow(browser, token);
    assertThat(answer.status()).isEqualTo(302);
    assertThat(answer.header("Location")).isEqualTo("/notes?tab=mine");
    assertThat(answer.cookieAttributes("vestibule")).containsKey("httponly").containsEntry("path", "/");
    assertThat(browser.csrf()).isNotBlank();
    Http.Answer session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("email")).isEqualTo(ada.email());
  }

  // "single-use"
  @Test
  void theLinkWorksOnlyOnce() {
    String token = newLink(ada, "/");
    assertThat(follow(stack.browser(), token).status()).isEqualTo(302);
    Http replay = stack.browser();
    Http.Answer again = follow(replay, token);
    assertThat(again.status()).isNotEqualTo(302);
    assertThat(replay.jar).doesNotContainKey("vestibule");
    assertThat(replay.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void aMadeUpTokenDoesNotLogIn() {
    Http browser = stack.browser();
    Http.Answer answer = follow(browser, "made-up-token");
    assertThat(answer.status()).isNotEqualTo(302);
    assertThat(answer.status()).isBetween(400, 499);
    assertThat(browser.jar).doesNotContainKey("vestibule");
  }

  // "returnTo is honoured only for a same-origin relative path." (§3)
  @Test
  void anOffSiteReturnToIsNotHonoured() {
    Stack.User user = stack.register("Traveller");
    for (String evil : new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"}) {
      String token = newLink(user, evil);
      Http.Answer answer = follow(stack.browser(), token);
      if (answer.status() == 302) {
        String location = answer.header("Location");
        assertThat(location).as("returnTo " + evil).startsWith("/").doesNotStartWith("//").doesNotStartWith("/\\")
            .doesNotContain("evil.example");
      } else {
        assertProblem(answer, 400);
      }
    }
  }

  @Test
  void withoutReturnToTheLinkStillLogsIn() {
    String token = newLink(ada, null);
    Http browser = stack.browser();
    Http.Answer answer = follow(browser, token);
    assertThat(answer.status()).isEqualTo(302);
    assertThat(answer.header("Location")).startsWith("/").doesNotStartWith("//");
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  // "→ 202 always" and §6 "Magic links ... rate limited": past a budget the answer stays 202 (SPEC does not say
  // how many mails one account may ask for; the gateway sends none past its fifth).
  @Test
  void manyRequestsForOneAccountAllAnswer202() {
    Stack.User user = stack.register("Eager");
    for (int i = 0; i < 8; i++) assertThat(ask(user.email(), "/").status()).isEqualTo(202);
    assertThat(stack.mail.countSettled(user.email(), 8)).isBetween(1, 8);
  }
}
