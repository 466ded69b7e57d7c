package dev.vestibule.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6 "Users in a real relational database ... schema migrations run at start", "Refresh tokens: ... stored",
 * "keys published in JWKS": a gateway restarted on the same database file and secrets keeps its users, logins and
 * refresh tokens.
 */
class RestartTest {

  @Test
  void usersLoginsAndRefreshTokensSurviveARestart(@TempDir Path folder) {
    int port = Stack.freePort();
    Stack.User user;
    String cookie;
    JsonObject tokens;
    String kid;
    try (Stack first = Stack.in(folder).port(port).start()) {
      user = first.register("Stays");
      cookie = user.browser().jar.get("vestibule");
      tokens = OAuth.tokens(first, user.email(), user.password());
      kid = OAuth.header(tokens.getString("access_token")).getString("kid");
    }
    try (Stack second = Stack.in(folder).port(port).start()) {
      Http browser = second.browser();
      browser.jar.put("vestibule", cookie);
      assertThat(browser.get("/auth/session").status()).isEqualTo(200);
      assertThat(browser.get("/api/me").status()).isEqualTo(200);
      second.login(user);
      Http.Answer refreshed = OAuth.refresh(second, tokens.getString("refresh_token"));
      assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
      assertThat(second.browser().get("/.well-known/jwks.json").body()).contains(kid);
      // the address is still taken
      Http.Answer again = second.browser().postJson("/auth/register",
          new JsonObject().put("name", "Again").put("email", user.email()).put("password", Stack.PASSWORD));
      assertThat(again.status()).isEqualTo(409);
    }
  }
}
