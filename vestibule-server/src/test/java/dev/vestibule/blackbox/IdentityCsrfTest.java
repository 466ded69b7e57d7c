package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §7 "All JSON; all state-changing ones need the CSRF header once a session exists." */
class IdentityCsrfTest extends DefaultStackTest {
  static Stack.User ada;

  @BeforeAll
  static void start() {
    ada = stack.register("Ada");
  }

  private static void refusedWithoutAndAcceptedWithTheHeader(String path, JsonObject body, int accepted) {
    Http browser = stack.login(ada);
    assertProblem(browser.postJson(path, body), 403);
    assertProblem(browser.postJson(path, body, "X-CSRF-Token", "not-the-token"), 403);
    Http.Answer ok = browser.postJsonCsrf(path, body);
    assertThat(ok.status()).as(path + ": " + ok).isEqualTo(accepted);
  }

  @Test
  void forgotPasswordFromABrowserWithASessionNeedsTheCsrfHeader() {
    refusedWithoutAndAcceptedWithTheHeader("/auth/password/forgot", new JsonObject().put("email", ada.email()), 202);
  }

  @Test
  void askingForAMagicLinkFromABrowserWithASessionNeedsTheCsrfHeader() {
    refusedWithoutAndAcceptedWithTheHeader("/auth/magic-link", new JsonObject().put("email", ada.email()), 202);
  }

  @Test
  void turningMfaOffNeedsTheCsrfHeader() {
    // SPEC gives no status for POST /auth/mfa; any 2xx is accepted.
    Http browser = stack.login(ada);
    assertProblem(browser.postJson("/auth/mfa", new JsonObject().put("enabled", false)), 403);
    assertThat(browser.postJsonCsrf("/auth/mfa", new JsonObject().put("enabled", false)).status()).isBetween(200, 204);
  }

  @Test
  void resettingAPasswordFromABrowserWithASessionNeedsTheCsrfHeader() {
    Http browser = stack.login(ada);
    Http.Answer answer = browser.postJson("/auth/password/reset",
        new JsonObject().put("token", "whatever").put("password", "a brand new passphrase 42"));
    assertProblem(answer, 403);
  }

  @Test
  void apiKeyActionsNeedTheCsrfHeader() {
    Http browser = stack.login(ada);
    for (String action : new String[] {"new-token", "revoke", "metadata", "rotate", "ip-restriction-update", "privilege-update"}) {
      assertProblem(browser.postJson("/auth/api-keys/" + action, new JsonObject().put("tokenId", "x").put("name", "x")), 403);
    }
  }

  // Without a session, the public identity endpoints need no CSRF header (there is no token yet).
  @Test
  void withoutASessionThePublicEndpointsNeedNoCsrfHeader() {
    Http browser = stack.browser();
    assertThat(browser.postJson("/auth/password/forgot", new JsonObject().put("email", ada.email())).status()).isEqualTo(202);
    assertThat(browser.postJson("/auth/magic-link", new JsonObject().put("email", ada.email())).status()).isEqualTo(202);
  }
}
