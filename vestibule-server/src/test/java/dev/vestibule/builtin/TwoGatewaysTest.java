package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway A runs the built-in identity; gateway B logs its users in through A's {@code /oauth/token} as client
 * gw2 ({@code identity.type: oauth2}) and relays A's JWTs to its upstream (SPEC §3 "so that other gateways and
 * APIs can use it").
 */
class TwoGatewaysTest {
  private static final String A_URL = "http://identity.localhost:8080";

  @TempDir Path folder;
  private TestGateway a;
  private TestGateway b;
  private EchoUpstream upstream;
  private String email;

  @BeforeEach
  void start() {
    // Access tokens of 30 s and B's refresh.before of 60 s: every request through B refreshes through A.
    a = new BuiltinYaml(TestDatabase.sqlite(folder).url()).publicUrl(A_URL).identity("accessTokenTtl: 30s").start();
    upstream = new EchoUpstream();
    b = new TestGateway(gatewayB());
    email = Users.freshEmail("ada");
    assertThat(Users.register(new Browser(a.url("")), "Ada", email, Users.PASSWORD).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (upstream != null) upstream.close();
    if (a != null) a.close();
  }

  private String gatewayB() {
    return """
        listen: 127.0.0.1:0
        publicUrl: http://app.localhost:8081
        session:
          secrets: ["%s"]
        identity:
          type: oauth2
          tokenEndpoint: %s
          revocationEndpoint: %s
          clientId: %s
          clientSecret: "%s"
        refresh:
          before: 60s
          grace: 1s
        routes:
          - path: /api/**
            upstream: %s
        """.formatted(TestGateway.SECRET, a.url("/oauth/token"), a.url("/oauth/revoke"), BuiltinYaml.GW2,
        BuiltinYaml.GW2_SECRET, upstream.url("/v1"));
  }

  @Test
  void aUserOfALogsInAtBAndBsUpstreamGetsAJwtOfAThatVerifiesAgainstAsJwks() throws Exception {
    Browser browser = new Browser(b.url(""));

    Browser.Response login = browser.post("/auth/login", Users.credentials(email, Users.PASSWORD));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    assertThat(login.json().getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getString("email")).isEqualTo(email);

    assertThat(browser.get("/api/me").status()).isEqualTo(200);
    JwtClaims claims = Jwts.verify(bearerSeenUpstream(), jwksOfA(), A_URL, BuiltinYaml.GW2);
    assertThat(claims.getClaimValue("email")).isEqualTo(email);
    assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(30);
  }

  @Test
  void aWrongPasswordAtBIsA401LikeAnyOther() {
    Browser.Response login = new Browser(b.url("")).post("/auth/login", Users.credentials(email, "not-" + Users.PASSWORD));

    assertThat(login.status()).isEqualTo(401);
    assertThat(login.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void bRefreshesThroughAWhenTheAccessTokenIsAboutToLapse() throws Exception {
    Browser browser = new Browser(b.url(""));
    browser.post("/auth/login", Users.credentials(email, Users.PASSWORD));
    assertThat(refreshesAtB()).isZero();

    // The login's token has 30 s left, under B's refresh.before: B refreshes through A first.
    browser.get("/api/one");
    String first = bearerSeenUpstream();
    assertThat(refreshesAtB()).isEqualTo(1);
    // A token B got from a refresh within refresh.grace is used as it is, or B would refresh on every call.
    browser.get("/api/two");
    assertThat(bearerSeenUpstream()).isEqualTo(first);
    assertThat(refreshesAtB()).isEqualTo(1);

    Thread.sleep(1_100); // B's refresh.grace is 1 s
    browser.get("/api/three");
    String third = bearerSeenUpstream();

    assertThat(refreshesAtB()).isEqualTo(2);
    assertThat(Jwts.peek(third).getJwtId()).isNotEqualTo(Jwts.peek(first).getJwtId());
    for (String token : new String[] {first, third}) {
      assertThat(Jwts.verify(token, jwksOfA(), A_URL, BuiltinYaml.GW2).getClaimValue("email")).isEqualTo(email);
    }
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void bsLogoutRevokesTheRefreshTokenAtA() {
    Browser browser = new Browser(b.url(""));
    browser.post("/auth/login", Users.credentials(email, Users.PASSWORD));
    assertThat(browser.get("/api/one").status()).isEqualTo(200);
    Browser beforeLogout = browser.copy();

    assertThat(browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(204);

    // A second instance of B with the same secret, which knows nothing of the logout, still opens the session,
    // but A refuses its refresh token: the logout revoked it there.
    try (TestGateway otherB = new TestGateway(gatewayB())) {
      Browser replay = beforeLogout.copy(otherB.url(""));
      assertThat(replay.get("/auth/session").status()).isEqualTo(200);
      int seen = upstream.received.size();

      Browser.Response api = replay.get("/api/two");

      assertThat(api.status()).as(api.body()).isEqualTo(401);
      assertThat(api.json().getString("login")).startsWith("/login");
      assertThat(upstream.received).hasSize(seen);
    }
  }

  private String bearerSeenUpstream() {
    String authorization = upstream.last().getJsonObject("headers").getJsonArray("authorization").getString(0);
    assertThat(authorization).startsWith("Bearer ");
    return authorization.substring("Bearer ".length());
  }

  /** Successful refreshes B made, from its Prometheus metrics. */
  private long refreshesAtB() {
    String metrics = new Browser(b.url("")).get("/metrics").body();
    Matcher ok = Pattern.compile("(?m)^vestibule_refresh_total\\{[^}]*outcome=\"ok\"[^}]*\\} ([0-9.E+]+)$").matcher(metrics);
    assertThat(ok.find()).as("the refresh counter in %s", metrics).isTrue();
    return (long) Double.parseDouble(ok.group(1));
  }

  private String jwksOfA() {
    return new Browser(a.url("")).get("/.well-known/jwks.json").body();
  }
}
