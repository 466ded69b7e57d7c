package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §4 "The session cookie" on a plain-http publicUrl, default settings. */
class SessionCookieTest extends DefaultStackTest {
  static Stack.User ada;

  @BeforeAll
  static void start() {
    ada = stack.register("Ada");
  }

  private static Http.Answer login(Http browser) {
    return browser.postJson("/auth/login", new JsonObject().put("email", ada.email()).put("password", ada.password()));
  }

  // "HttpOnly, SameSite as configured, Path=/, Secure and __Host- prefix under https." (default sameSite: Lax)
  @Test
  void underHttpTheCookieIsHttpOnlySameSiteLaxPathSlashAndNotSecure() {
    Http.Answer answer = login(stack.browser());
    Map<String, String> attributes = answer.cookieAttributes("vestibule");
    assertThat(attributes).as(answer.setCookie("vestibule")).isNotNull()
        .containsKey("httponly").containsEntry("path", "/").doesNotContainKey("secure");
    assertThat(attributes.get("samesite")).isEqualToIgnoringCase("Lax");
    assertThat(answer.setCookie("__Host-vestibule")).isNull();
  }

  // register also logs in, with the same cookie flags.
  @Test
  void registeringSetsTheSameCookieFlags() {
    Http browser = stack.browser();
    Http.Answer answer = browser.postJson("/auth/register", new JsonObject().put("name", "Flag")
        .put("email", Stack.freshEmail("flag")).put("password", Stack.PASSWORD));
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.cookieAttributes("vestibule")).containsKey("httponly").containsEntry("path", "/");
  }

  // "Any tampered, truncated, foreign-secret or expired cookie means "no session": 401 or guest, never a 500."
  @Test
  void aTamperedCookieMeansNoSession() {
    Http browser = stack.browser();
    login(browser);
    String value = browser.jar.get("vestibule");
    int middle = value.length() / 2;
    char flipped = value.charAt(middle) == 'A' ? 'B' : 'A';
    browser.jar.put("vestibule", value.substring(0, middle) + flipped + value.substring(middle + 1));
    assertProblem(browser.get("/auth/session"), 401);
    assertProblem(browser.get("/api/me", "Accept", "application/json"), 401);
  }

  @Test
  void aTruncatedCookieMeansNoSession() {
    Http browser = stack.browser();
    login(browser);
    String value = browser.jar.get("vestibule");
    for (int keep : new int[] {value.length() - 1, value.length() / 2, 10, 1}) {
      browser.jar.put("vestibule", value.substring(0, keep));
      assertProblem(browser.get("/auth/session"), 401);
    }
  }

  @Test
  void garbageCookiesMeanNoSession() {
    Http browser = stack.browser();
    for (String garbage : new String[] {"x", "%%%", Base64.getUrlEncoder().encodeToString(new byte[200]), "a.b.c", "\"\""}) {
      browser.jar.put("vestibule", garbage);
      assertProblem(browser.get("/auth/session"), 401);
    }
  }

  // A cookie sealed by a gateway with another secret ("foreign-secret") means no session.
  @Test
  void aCookieSealedWithAForeignSecretMeansNoSession(@TempDir Path other) {
    try (Stack foreign = Stack.in(other).secrets("a-completely-different-secret-0123456789abcd").start()) {
      Stack.User eve = foreign.register("Eve");
      Http browser = stack.browser();
      browser.jar.put("vestibule", eve.browser().jar.get("vestibule"));
      assertProblem(browser.get("/auth/session"), 401);
    }
  }

  // "Sealed with AES-256-GCM": the cookie does not show the user's data in clear.
  @Test
  void theCookieDoesNotCarryTheUserInClear() {
    Http browser = stack.browser();
    login(browser);
    String value = browser.jar.get("vestibule");
    assertThat(value).doesNotContain("Ada").doesNotContain("example.com").doesNotContain("eyJ");
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(value.replace('.', 'A'));
    } catch (IllegalArgumentException e) {
      decoded = new byte[0];
    }
    assertThat(new String(decoded)).doesNotContain(ada.email());
  }
}
