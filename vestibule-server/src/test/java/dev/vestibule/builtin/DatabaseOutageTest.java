package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertOAuthError;
import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static dev.vestibule.builtin.BuiltinIdentityContract.assertTokenAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL of the built-in identity goes away while the gateway runs (its schema is renamed) and comes back:
 * 503 with Retry-After meanwhile, sessions kept, never a stack trace or SQL in an answer (SPEC §3).
 */
class DatabaseOutageTest {
  private TestDatabase database;
  private EchoUpstream upstream;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    database = TestDatabase.postgres();
    upstream = new EchoUpstream();
    // Access tokens of 30 s, under refresh.before's default of 60 s: every proxied call needs a refresh.
    gateway = new BuiltinYaml(database.url()).identity("accessTokenTtl: 30s")
        .section("refresh:\n  grace: 1s\nroutes:\n  - path: /api/**\n    upstream: " + upstream.url("/v1") + "\n")
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (database != null) database.close();
  }

  @Test
  void whileTheDatabaseIsAwayIdentityCallsAnswer503AndSessionsSurviveIt() throws Exception {
    Browser browser = new Browser(gateway.url(""));
    String email = Users.freshEmail("ada");
    assertThat(Users.register(browser, "Ada", email, Users.PASSWORD).status()).isEqualTo(201);
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    String refreshToken = oauth.password(email, Users.PASSWORD).json().getString("refresh_token");

    String schema = database.postgresSchema();
    database.update("ALTER SCHEMA " + schema + " RENAME TO " + schema + "_away");
    List<Browser.Response> answers;
    try {
      Browser.Response api = browser.get("/api/notes");
      Browser.Response login = new Browser(gateway.url("")).post("/auth/login", Users.credentials(email, Users.PASSWORD));
      Browser.Response register = Users.register(new Browser(gateway.url("")), "Bo", Users.freshEmail("bo"), Users.PASSWORD);
      Browser.Response refresh = oauth.refresh(refreshToken);
      answers = List.of(api, login, register, refresh);

      for (Browser.Response problem : List.of(api, login, register)) {
        assertProblem(problem, 503);
        assertThat(problem.header("Retry-After")).as(problem.path()).matches("[1-9][0-9]*");
      }
      assertThat(upstream.received).isEmpty();
      // SPEC §3: the /oauth/* endpoints answer errors as RFC 6749 does, {"error": ...}.
      assertOAuthError(refresh, 503, "temporarily_unavailable");
      assertThat(refresh.header("Retry-After")).matches("[1-9][0-9]*");
      assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    } finally {
      database.update("ALTER SCHEMA " + schema + "_away RENAME TO " + schema);
    }
    for (Browser.Response answer : answers) {
      assertThat(answer.body()).as(answer.path()).doesNotContainIgnoringCase("exception").doesNotContain("relation")
          .doesNotContain(schema).doesNotContain("\tat ");
    }

    assertThat(browser.get("/api/notes").status()).isEqualTo(200);
    assertTokenAnswer(oauth.refresh(refreshToken));
  }
}
