package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import java.nio.file.Path;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own sessions on the built-in identity: its routes get the identity's JWTs for the first client,
 * refreshed in-process, and a logout revokes the session's refresh token (SPEC §3, §6).
 */
class BuiltinSessionsTest {
  private static final String PUBLIC_URL = "http://localhost:8080";

  @TempDir Path folder;
  private String databaseUrl;
  private EchoUpstream upstream;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    databaseUrl = TestDatabase.sqlite(folder).url();
    upstream = new EchoUpstream();
    gateway = new TestGateway(yaml());
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
  }

  /** Access tokens of 30 s under refresh.before's 60 s: a token minted more than refresh.grace ago gets refreshed. */
  private String yaml() {
    return new BuiltinYaml(databaseUrl).publicUrl(PUBLIC_URL).identity("accessTokenTtl: 30s")
        .section("refresh:\n  grace: 1s\nroutes:\n  - path: /api/**\n    upstream: " + upstream.url("/v1") + "\n")
        .build();
  }

  @Test
  void routesGetTheIdentitysJwtForTheFirstClientRefreshedInProcess() throws Exception {
    Browser browser = new Browser(gateway.url(""));
    String email = Users.freshEmail("ada");
    String id = Users.register(browser, "Ada", email, Users.PASSWORD).json().getJsonObject("user").getString("id");
    String jwks = browser.get("/.well-known/jwks.json").body();

    assertThat(browser.get("/api/one").status()).isEqualTo(200);
    String first = bearerSeenUpstream();
    JwtClaims claims = Jwts.verify(first, jwks, PUBLIC_URL, BuiltinYaml.WEB);
    assertThat(claims.getSubject()).isEqualTo(id);
    assertThat(claims.getClaimValue("email")).isEqualTo(email);

    Thread.sleep(1_100); // refresh.grace
    assertThat(browser.get("/api/two").status()).isEqualTo(200);
    String second = bearerSeenUpstream();

    assertThat(Jwts.verify(second, jwks, PUBLIC_URL, BuiltinYaml.WEB).getJwtId()).isNotEqualTo(claims.getJwtId());
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void logoutRevokesTheSessionsRefreshToken() {
    Browser browser = new Browser(gateway.url(""));
    Users.register(browser, "Bea", Users.freshEmail("bea"), Users.PASSWORD);
    Browser beforeLogout = browser.copy();

    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);

    // A second instance on the same database and secret knows nothing of the ended session: only the revoked
    // refresh token stops it.
    try (TestGateway other = new TestGateway(yaml())) {
      Browser replay = beforeLogout.copy(other.url(""));
      assertThat(replay.get("/auth/session").status()).isEqualTo(200);

      Browser.Response api = replay.get("/api/one");

      assertThat(api.status()).as(api.body()).isEqualTo(401);
      assertThat(api.json().getString("login")).startsWith("/login");
      assertThat(upstream.received).isEmpty();
    }
  }

  private String bearerSeenUpstream() {
    String authorization = upstream.last().getJsonObject("headers").getJsonArray("authorization").getString(0);
    assertThat(authorization).startsWith("Bearer ");
    return authorization.substring("Bearer ".length());
  }
}
