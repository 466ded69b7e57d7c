package dev.vestibule.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2, §3 for {@code identity.type: oidc}: a browser logs in at a real OpenID provider (over loopback HTTP) and
 * comes back with a session; every answer that does not belong to its login is refused.
 */
class OidcLoginTest {
  private MockIssuer issuer;
  private EchoUpstream upstream;
  private TestGateway gateway;
  private Browser browser;

  @BeforeEach
  void start() {
    issuer = new MockIssuer();
    upstream = new EchoUpstream();
    gateway = new TestGateway(new GatewayYaml().identity(issuer.identity())
        .section("refresh:\n  before: 0s\n")
        .route("/api/**", upstream.url("/v1"), "auth: required").build());
    browser = new Browser(gateway.url(""));
    issuer.drain();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    issuer.close();
  }

  @Test
  void aLoginGoesToTheProviderAndComesBackWithASessionAndTheUserFromTheProvider() {
    issuer.nextLogin("alice", Map.of("email", "alice@example.com", "name", "Alice"), 300);

    Browser.Response toProvider = browser.get("/auth/login?returnTo=" + encode("/notes?tab=mine"));
    assertThat(toProvider.status()).isEqualTo(302);
    URI authorize = URI.create(toProvider.header("Location"));
    assertThat(authorize.toString()).startsWith(issuer.issuer() + "/authorize?");
    Map<String, String> query = OidcFlow.query(authorize);
    assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "web")
        .containsEntry("redirect_uri", "http://localhost:8080/auth/callback")
        .containsEntry("scope", "openid profile email offline_access")
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "nonce", "code_challenge");
    String cookie = toProvider.setCookie("vestibule-oidc");
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=600")
        .doesNotContain(query.get("state")).doesNotContain(query.get("nonce"));

    Browser.Response back = browser.get(OidcFlow.pathAndQuery(issuer.authorize(authorize.toString())));

    assertThat(back.status()).isEqualTo(302);
    assertThat(back.header("Location")).isEqualTo("/notes?tab=mine");
    assertThat(back.setCookie("vestibule-oidc")).contains("Max-Age=0");
    assertThat(browser.cookies).containsKeys("vestibule", "vestibule-csrf").doesNotContainKey("vestibule-oidc");
    Browser.Response session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getMap())
        .containsEntry("sub", "alice").containsEntry("email", "alice@example.com").containsEntry("name", "Alice")
        .doesNotContainKeys("nonce", "aud", "exp");
    assertThat(session.body()).doesNotContain("eyJ");

    Browser.Response api = browser.get("/api/things");
    assertThat(api.status()).isEqualTo(200);
    assertThat(bearerSeenUpstream()).startsWith("Bearer eyJ");
  }

  @Test
  void theLoginCookieNeverReachesAnUpstream() {
    login(browser.get("/auth/login"));
    browser.cookies.put("vestibule-oidc", "a-login-in-another-tab");
    browser.cookies.put("theirs", "kept");

    assertThat(browser.get("/api/things").status()).isEqualTo(200);

    assertThat(upstream.last().getJsonObject("headers").getJsonArray("cookie").encode())
        .contains("theirs=kept").doesNotContain("vestibule");
  }

  @Test
  void theCodeIsExchangedWithThePkceVerifierAndTheClientSecret() {
    Browser.Response toProvider = browser.get("/auth/login");
    String challenge = OidcFlow.query(URI.create(toProvider.header("Location"))).get("code_challenge");

    login(toProvider);

    RecordedRequest exchange = issuer.drain().stream().filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
    Map<String, String> form = OidcFlow.query(URI.create("?" + exchange.getBody().readUtf8()));
    assertThat(form).containsEntry("grant_type", "authorization_code").containsKey("code")
        .containsEntry("redirect_uri", "http://localhost:8080/auth/callback");
    assertThat(LoginAttempt.s256(form.get("code_verifier"))).isEqualTo(challenge);
    assertThat(exchange.getHeader("Authorization")).isEqualTo("Basic "
        + java.util.Base64.getEncoder().encodeToString("web:s3cret-client".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void withoutReturnToTheUserLandsOnTheHomePage() {
    assertThat(login(browser.get("/auth/login")).header("Location")).isEqualTo("/");
  }

  @Test
  void anOffSiteReturnToIsReplacedByTheHomePage() {
    for (String offSite : new String[] {"//evil.example/x", "https://evil.example/", "/\\evil.example", "evil"}) {
      Browser fresh = new Browser(gateway.url(""));
      Browser.Response back = login(fresh, fresh.get("/auth/login?returnTo=" + encode(offSite)));
      assertThat(back.status()).isEqualTo(302);
      assertThat(back.header("Location")).as(offSite).isEqualTo("/");
    }
  }

  @Test
  void aForgedStateIsRefused() {
    URI callback = issuer.authorize(browser.get("/auth/login?returnTo=/x").header("Location"));
    String forged = OidcFlow.pathAndQuery(callback).replaceAll("state=[^&]+", "state=forged-by-an-attacker");

    Browser.Response back = browser.get(forged);

    assertRefused(back, "state-mismatch");
    assertThat(back.json().getString("login")).isEqualTo("/auth/login?returnTo=%2Fx");
  }

  @Test
  void aCallbackWithoutState() {
    URI callback = issuer.authorize(browser.get("/auth/login").header("Location"));
    assertRefused(browser.get(OidcFlow.pathAndQuery(callback).replaceAll("&?state=[^&]+", "")), "state-mismatch");
  }

  @Test
  void aCallbackInABrowserThatNeverStartedTheLoginIsRefused() {
    URI callback = issuer.authorize(browser.get("/auth/login").header("Location"));

    Browser other = new Browser(gateway.url(""));
    Browser.Response back = other.get(OidcFlow.pathAndQuery(callback));

    assertRefused(back, "login-expired");
    assertThat(other.cookies).doesNotContainKey("vestibule");
  }

  @Test
  void aTamperedLoginCookieIsRefused() {
    URI callback = issuer.authorize(browser.get("/auth/login").header("Location"));
    String sealed = browser.cookies.get("vestibule-oidc");
    browser.cookies.put("vestibule-oidc", sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA"));

    assertRefused(browser.get(OidcFlow.pathAndQuery(callback)), "login-expired");
  }

  @Test
  void aCodeIssuedForAnotherNonceIsRefused() {
    String authorize = browser.get("/auth/login").header("Location");
    // An attacker's code: issued at the provider for a login with another nonce, injected into this browser's callback.
    String injected = authorize.replaceAll("nonce=[^&]+", "nonce=the-attackers-nonce");

    Browser.Response back = browser.get(OidcFlow.pathAndQuery(issuer.authorize(injected)));

    assertRefused(back, "invalid-id-token");
  }

  @Test
  void anAnswerNamingAnotherIssuerIsRefused() {
    URI callback = issuer.authorize(browser.get("/auth/login").header("Location"));

    Browser.Response back = browser.get(OidcFlow.pathAndQuery(callback) + "&iss=" + encode("https://evil.example"));

    assertRefused(back, "issuer-mismatch");
  }

  @Test
  void anAnswerNamingTheRightIssuerIsAccepted() {
    URI callback = issuer.authorize(browser.get("/auth/login").header("Location"));

    Browser.Response back = browser.get(OidcFlow.pathAndQuery(callback) + "&iss=" + encode(issuer.issuer()));

    assertThat(back.status()).isEqualTo(302);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void theProvidersErrorIsShownAndNoSessionStarts() {
    String state = OidcFlow.query(URI.create(browser.get("/auth/login?returnTo=/x").header("Location"))).get("state");

    Browser.Response back = browser.get("/auth/callback?error=access_denied&error_description=" + encode("user said no")
        + "&state=" + encode(state));

    assertRefused(back, "access_denied");
    assertThat(back.setCookie("vestibule-oidc")).contains("Max-Age=0");
    assertThat(browser.get("/auth/session").status()).isEqualTo(401);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedWithTheProvidersRefreshTokenThroughTheProxy() throws Exception {
    issuer.nextLogin("alice", Map.of(), 1);
    login(browser.get("/auth/login"));
    String sealedBefore = browser.cookies.get("vestibule");
    assertThat(browser.get("/api/first").status()).isEqualTo(200);
    String firstBearer = bearerSeenUpstream();
    issuer.drain();

    Thread.sleep(1_200);
    Browser.Response later = browser.get("/api/later");

    assertThat(later.status()).isEqualTo(200);
    assertThat(bearerSeenUpstream()).startsWith("Bearer eyJ").isNotEqualTo(firstBearer);
    RecordedRequest refresh = issuer.drain().stream().filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
    assertThat(refresh.getBody().readUtf8()).contains("grant_type=refresh_token");
    assertThat(later.setCookie("vestibule")).isNotNull();
    assertThat(browser.cookies.get("vestibule")).isNotEqualTo(sealedBefore);
  }

  @Test
  void whenTheProviderIsDownAtTheCallbackTheBrowserIsToldToRetry() {
    URI callback = issuer.authorize(browser.get("/auth/login?returnTo=/x").header("Location"));
    issuer.server.shutdown();

    Browser.Response back = browser.get(OidcFlow.pathAndQuery(callback));

    assertThat(back.status()).isEqualTo(503);
    assertThat(back.header("Retry-After")).isNotNull();
    assertThat(back.json().getString("login")).isEqualTo("/auth/login?returnTo=%2Fx");
    assertThat(back.setCookie("vestibule")).isNull();
  }

  @Test
  void userinfoAboutAnotherSubjectThanTheIdTokenIsRefused() throws Exception {
    com.sun.net.httpserver.HttpServer userinfo = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    userinfo.createContext("/userinfo", exchange -> {
      byte[] body = "{\"sub\":\"mallory\",\"email\":\"mallory@example.com\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    userinfo.start();
    try (TestGateway strict = new TestGateway(new GatewayYaml().identity(issuer.identity(
        "userinfoEndpoint: http://127.0.0.1:" + userinfo.getAddress().getPort() + "/userinfo")).build())) {
      Browser other = new Browser(strict.url(""));
      URI callback = issuer.authorize(other.get("/auth/login").header("Location"));

      assertRefused(other.get(OidcFlow.pathAndQuery(callback)), "userinfo-mismatch");
    } finally {
      userinfo.stop(0);
    }
  }

  @Test
  void logoutRevokesTheRefreshTokenAtTheProviderAndTheOldCookieIsRefused() {
    login(browser.get("/auth/login"));
    Browser replay = browser.copy();
    issuer.drain();

    Browser.Response out = browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf());

    assertThat(out.status()).isEqualTo(204);
    assertThat(issuer.drain()).anySatisfy(r -> {
      assertThat(r.getPath()).endsWith("/revoke");
      assertThat(r.getBody().readUtf8()).contains("token_type_hint=refresh_token");
    });
    assertThat(replay.get("/auth/session").status()).isEqualTo(401);
    assertThat(replay.get("/api/things").status()).isEqualTo(401);
  }

  @Test
  void aPageNavigationToAProtectedRouteGoesThroughTheProviderAndBackToThatPage() {
    Browser.Response page = browser.get("/api/things?x=1", "Accept", "text/html");
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.header("Location")).isEqualTo("/auth/login?returnTo=" + encode("/api/things?x=1"));

    Browser.Response back = login(browser.get(page.header("Location")));
    assertThat(back.header("Location")).isEqualTo("/api/things?x=1");

    Browser.Response again = browser.get(back.header("Location"), "Accept", "text/html");
    assertThat(again.status()).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/things?x=1");
  }

  @Test
  void aPasswordLoginIsNotOfferedWithAnOpenIdProvider() {
    Browser.Response answer = browser.post("/auth/login", "{\"email\":\"a@example.com\",\"password\":\"x\"}");

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(answer.header("Allow")).isEqualTo("GET");
    assertThat(answer.json().getString("login")).isEqualTo("/auth/login");
  }

  @Test
  void noTokenCodeStateOrNonceReachesTheLog() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.vestibule");
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    ch.qos.logback.classic.Level before = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    logger.addAppender(appender);
    try {
      String authorize = browser.get("/auth/login").header("Location");
      Map<String, String> request = OidcFlow.query(URI.create(authorize));
      URI callback = issuer.authorize(authorize.replaceAll("nonce=[^&]+", "nonce=injected-nonce-value"));
      assertRefused(browser.get(OidcFlow.pathAndQuery(callback)), "invalid-id-token");
      URI good = issuer.authorize(browser.get("/auth/login").header("Location"));
      login(browser.get("/auth/login"));
      browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf());

      assertThat(appender.list).isNotEmpty();
      for (var event : appender.list) {
        String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
        assertThat(line).doesNotContain("eyJ").doesNotContain(request.get("state")).doesNotContain(request.get("nonce"))
            .doesNotContain("injected-nonce-value").doesNotContain(OidcFlow.query(callback).get("code"))
            .doesNotContain(OidcFlow.query(good).get("code"));
      }
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  private Browser.Response login(Browser.Response toProvider) {
    return login(browser, toProvider);
  }

  private Browser.Response login(Browser who, Browser.Response toProvider) {
    assertThat(toProvider.status()).isEqualTo(302);
    Browser.Response back = who.get(OidcFlow.pathAndQuery(issuer.authorize(toProvider.header("Location"))));
    assertThat(back.status()).as(back.body()).isEqualTo(302);
    return back;
  }

  private void assertRefused(Browser.Response back, String error) {
    assertThat(back.status()).as(back.body()).isEqualTo(401);
    assertThat(back.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(back.json().getString("error")).isEqualTo(error);
    assertThat(back.json().getString("login")).startsWith("/auth/login?returnTo=");
    assertThat(back.setCookie("vestibule")).isNull();
    assertThat(back.body()).doesNotContain("eyJ");
  }

  private String bearerSeenUpstream() {
    return upstream.last().getJsonObject("headers").getJsonArray("authorization").getString(0);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
