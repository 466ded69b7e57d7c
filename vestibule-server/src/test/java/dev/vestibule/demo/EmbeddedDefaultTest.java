package dev.vestibule.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDefaultTest {
  private static final String PASSWORD = "a much longer passphrase 42";

  @TempDir Path data;

  private EmbeddedDefault start() throws Exception {
    return EmbeddedDefault.start(data, "127.0.0.1:0", Clock.systemUTC());
  }

  private static String register(Browser browser) {
    Browser.Response registered = browser.post("/auth/register", new JsonObject()
        .put("name", "Ann").put("email", "ann@example.com").put("password", PASSWORD).encode());
    assertThat(registered.status()).isEqualTo(201);
    return registered.json().getJsonObject("user").getString("id");
  }

  @Test
  void aNewUserRegistersAndKeepsNotesThroughTheDemoApi() throws Exception {
    EmbeddedDefault embedded = start();
    try {
      Browser browser = new Browser("http://127.0.0.1:" + embedded.port());
      String id = register(browser);
      assertThat(browser.get("/api/me").json().getString("sub")).isEqualTo(id);
      assertThat(browser.post("/api/notes", "{\"text\":\"first\"}", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(201);
      assertThat(browser.get("/api/notes").json().getJsonArray("notes")).hasSize(1);
      assertThat(browser.get("/api/users").json().getJsonArray("users").getJsonObject(0).getString("email"))
          .isEqualTo("ann@example.com");
      assertThat(new Browser("http://127.0.0.1:" + embedded.port()).get("/api/notes").status()).isEqualTo(401);
    } finally {
      embedded.stop().await();
    }
  }

  @Test
  void usersNotesSecretAndLoginsSurviveARestart() throws Exception {
    EmbeddedDefault first = start();
    Browser browser = new Browser("http://127.0.0.1:" + first.port());
    try {
      register(browser);
      browser.post("/api/notes", "{\"text\":\"kept\"}", "X-CSRF-Token", browser.csrf());
    } finally {
      first.stop().await();
    }
    Path secret = data.resolve("session-secret");
    assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String secretBefore = Files.readString(secret);

    EmbeddedDefault second = start();
    try {
      Browser sameCookies = new Browser("http://127.0.0.1:" + second.port());
      sameCookies.cookies.putAll(browser.cookies);
      assertThat(sameCookies.get("/auth/session").status()).isEqualTo(200);
      assertThat(sameCookies.get("/api/notes").json().getJsonArray("notes").getJsonObject(0).getString("text"))
          .isEqualTo("kept");
      Browser fresh = new Browser("http://127.0.0.1:" + second.port());
      assertThat(fresh.post("/auth/login", new JsonObject().put("email", "ann@example.com").put("password", PASSWORD)
          .encode()).status()).isEqualTo(200);
      assertThat(Files.readString(secret)).isEqualTo(secretBefore);
    } finally {
      second.stop().await();
    }
  }

  @Test
  void protectedPagesSendABrowserWithoutASessionToLogin() throws Exception {
    EmbeddedDefault embedded = start();
    try {
      Browser browser = new Browser("http://127.0.0.1:" + embedded.port());
      for (String page : new String[] {"/notes", "/users"}) {
        Browser.Response answer = browser.get(page, "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).isEqualTo("/login?returnTo=%2F" + page.substring(1));
      }
      assertThat(browser.get("/login").status()).isEqualTo(200);
      assertThat(browser.get("/login").body()).contains("<form id=\"login\">");
    } finally {
      embedded.stop().await();
    }
  }
}
