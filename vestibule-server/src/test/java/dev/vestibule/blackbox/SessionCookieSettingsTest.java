package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §4 cookie behaviour that depends on settings: https publicUrl, sameSite, maxAge, secret rotation. */
class SessionCookieSettingsTest {

  // "publicUrl: https here => Secure cookies and __Host- prefix"; §4 "Secure and __Host- prefix under https."
  @Test
  void underAnHttpsPublicUrlTheCookieIsSecureAndHostPrefixed(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).https().start()) {
      Http browser = stack.browser();
      Http.Answer answer = browser.postJson("/auth/register", new JsonObject().put("name", "Sec")
          .put("email", Stack.freshEmail("sec")).put("password", Stack.PASSWORD));
      assertThat(answer.status()).isEqualTo(201);
      Map<String, String> attributes = answer.cookieAttributes("__Host-vestibule");
      assertThat(attributes).as(answer.all("set-cookie").toString()).isNotNull()
          .containsKey("secure").containsKey("httponly").containsEntry("path", "/").doesNotContainKey("domain");
      assertThat(answer.setCookie("vestibule")).isNull();
      assertThat(browser.get("/auth/session").status()).isEqualTo(200);
      // "cookie cleared" under https: the clearing Set-Cookie keeps the prefix's required Secure and Path=/,
      // or a browser would ignore it.
      Http.Answer logout = browser.postJsonCsrf("/auth/logout", new JsonObject());
      assertThat(logout.status()).isEqualTo(204);
      assertThat(logout.cookieAttributes("__Host-vestibule")).as(logout.all("set-cookie").toString())
          .containsEntry("max-age", "0").containsKey("secure").containsEntry("path", "/");
    }
  }

  // "sameSite: Lax" is a setting; "SameSite as configured".
  @Test
  void theCookieCarriesTheConfiguredSameSite(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).session("sameSite: Strict").start()) {
      Http.Answer answer = stack.browser().postJson("/auth/register", new JsonObject().put("name", "Strict")
          .put("email", Stack.freshEmail("strict")).put("password", Stack.PASSWORD));
      assertThat(answer.status()).isEqualTo(201);
      assertThat(answer.cookieAttributes("vestibule").get("samesite")).isEqualToIgnoringCase("Strict");
    }
  }

  // "carries its own issued-at and expiry, enforced on the server, not only by the cookie's Max-Age";
  // "maxAge: absolute lifetime of a login"; "expired cookie means no session".
  @Test
  void aCookieReplayedAfterMaxAgeIsRefusedByTheServer(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).session("maxAge: 3s").start()) {
      Stack.User user = stack.register("Brief");
      Http replay = user.browser().copy();
      assertThat(replay.get("/auth/session").status()).isEqualTo(200);
      long deadline = System.currentTimeMillis() + 15_000;
      int status = 200;
      while (status == 200 && System.currentTimeMillis() < deadline) {
        Mail.pause(250);
        Http again = user.browser().copy();
        status = again.get("/auth/session").status();
      }
      assertThat(status).isEqualTo(401);
      assertProblem(replay.get("/auth/session"), 401);
    }
  }

  // "idleTimeout: 0 = none; else ends a session unused that long"
  @Test
  void aSessionUnusedForTheIdleTimeoutEnds(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).session("idleTimeout: 2s").start()) {
      Stack.User user = stack.register("Idle");
      Http browser = user.browser();
      Mail.pause(3_000);
      assertProblem(browser.get("/auth/session"), 401);
    }
  }

  // "idleTimeout: ... ends a session unused that long": a session in use stays.
  @Test
  void aSessionInUseOutlivesTheIdleTimeout(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).session("idleTimeout: 2s").start()) {
      Stack.User user = stack.register("Busy");
      Http browser = user.browser();
      long end = System.currentTimeMillis() + 4_500;
      while (System.currentTimeMillis() < end) {
        Http.Answer answer = browser.get("/api/me");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Mail.pause(700);
      }
      assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    }
  }

  // "maxAge: absolute lifetime of a login": using the session does not extend it.
  @Test
  void usingTheSessionDoesNotExtendMaxAge(@TempDir Path folder) {
    try (Stack stack = Stack.in(folder).session("maxAge: 4s").start()) {
      Stack.User user = stack.register("Absolute");
      Http browser = user.browser();
      long start = System.currentTimeMillis();
      int status = 200;
      while (status == 200 && System.currentTimeMillis() - start < 12_000) {
        status = browser.get("/api/me", "Accept", "application/json").status();
        if (status == 200) Mail.pause(500);
      }
      assertThat(status).isEqualTo(401);
      assertThat(System.currentTimeMillis() - start).isLessThan(6_000);
    }
  }

  // "Secret rotation: a cookie sealed with any listed secret is accepted and re-sealed with the first."
  @Test
  void aCookieSealedWithAnOlderListedSecretIsAcceptedAndResealed(@TempDir Path folder) {
    String oldSecret = "the-old-session-secret-0123456789-abcdefgh";
    String newSecret = "the-new-session-secret-0123456789-abcdefgh";
    int port = Stack.freePort();
    Stack.User user;
    String oldCookie;
    try (Stack before = Stack.in(folder).port(port).secrets(oldSecret).start()) {
      user = before.register("Rota");
      oldCookie = user.browser().jar.get("vestibule");
    }
    try (Stack after = Stack.in(folder).port(port).secrets(newSecret, oldSecret).start()) {
      Http browser = after.browser();
      browser.jar.put("vestibule", oldCookie);
      Http.Answer answer = browser.get("/auth/session");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.json().getJsonObject("user").getString("email")).isEqualTo(user.email());
      String resealed = answer.setCookie("vestibule");
      assertThat(resealed).as("re-sealed with the first secret").isNotNull();
      assertThat(browser.jar.get("vestibule")).isNotEqualTo(oldCookie);
    }
    // The re-sealed cookie is sealed with the new secret: a gateway knowing only the new secret accepts it,
    // and one knowing only the old one does not.
    String resealedCookie;
    try (Stack after = Stack.in(folder).port(port).secrets(newSecret, oldSecret).start()) {
      Http browser = after.browser();
      browser.jar.put("vestibule", oldCookie);
      browser.get("/auth/session");
      resealedCookie = browser.jar.get("vestibule");
    }
    try (Stack onlyNew = Stack.in(folder).port(port).secrets(newSecret).start()) {
      Http browser = onlyNew.browser();
      browser.jar.put("vestibule", resealedCookie);
      assertThat(browser.get("/auth/session").status()).isEqualTo(200);
      Http old = onlyNew.browser();
      old.jar.put("vestibule", oldCookie);
      assertProblem(old.get("/auth/session"), 401);
    }
  }
}
