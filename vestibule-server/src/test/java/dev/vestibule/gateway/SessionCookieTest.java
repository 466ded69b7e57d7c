package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCookieTest extends GatewayTest {
  private static final String OTHER_SECRET = "another-session-secret-9876543210-zyxwvut";

  private void startDefault() {
    start(config().route("/api/**", upstream.url("/v1")));
  }

  private static List<String> attributes(String setCookie) {
    return List.of(setCookie.split(";")).stream().skip(1).map(String::trim).map(String::toLowerCase).toList();
  }

  @Test
  void sessionCookieIsHttpOnlyLaxPathRootAndNotSecureOverHttp() {
    startDefault();
    Browser.Response login = login();
    String session = login.setCookie("vestibule");
    assertThat(session).isNotNull();
    List<String> attributes = attributes(session);
    assertThat(attributes).contains("httponly", "samesite=lax", "path=/");
    assertThat(attributes).noneMatch(a -> a.equals("secure") || a.startsWith("domain="));

    String csrf = login.setCookie("vestibule-csrf");
    assertThat(attributes(csrf)).contains("path=/").doesNotContain("httponly");
    assertThat(browser.csrf()).isNotBlank();
  }

  @Test
  void underHttpsTheCookieIsHostPrefixedAndSecure() {
    start(config().publicUrl("https://app.example.com").route("/api/**", upstream.url("/v1")));
    Browser.Response login = login();
    assertThat(login.setCookie("vestibule")).isNull();
    String session = login.setCookie("__Host-vestibule");
    assertThat(session).isNotNull();
    assertThat(attributes(session)).contains("secure", "httponly", "path=/", "samesite=lax");
    assertThat(attributes(session)).noneMatch(a -> a.startsWith("domain="));
    assertThat(attributes(login.setCookie("vestibule-csrf"))).contains("secure");
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
  }

  @Test
  void aTamperedCookieIsNoSessionNeverAnError() {
    startDefault();
    login();
    String sealed = browser.cookies.get("vestibule");
    int middle = sealed.length() / 2;
    char flipped = sealed.charAt(middle) == 'A' ? 'B' : 'A';
    String tampered = sealed.substring(0, middle) + flipped + sealed.substring(middle + 1);

    for (String value : List.of(tampered, sealed.substring(0, middle), sealed.substring(0, sealed.length() - 1),
        sealed + "A", "garbage", "%%%;;", "v1." + "A".repeat(200), "")) {
      Browser forged = newBrowser();
      forged.cookies.put("vestibule", value);
      assertProblem(forged.get("/auth/session"), 401);
      assertProblem(forged.get("/api/things"), 401);
    }
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aCookieSealedWithAnotherSecretIsNoSession() {
    startDefault();
    TestGateway foreign = another(config().secrets(OTHER_SECRET).route("/api/**", upstream.url("/v1")));
    Browser elsewhere = browserFor(foreign);
    login(elsewhere);

    Browser replay = copyOf(elsewhere, gateway);
    assertProblem(replay.get("/auth/session"), 401);
    assertProblem(replay.get("/api/things"), 401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anExpiredSessionIsRefusedByTheServerWhateverTheBrowserKeeps() throws Exception {
    start(config().session("maxAge: 2s").route("/api/**", upstream.url("/v1")));
    login();
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    Browser keeper = copyOf(browser);

    Thread.sleep(2_600);
    assertProblem(keeper.get("/auth/session"), 401);
    Browser apiCaller = copyOf(browser);
    assertProblem(apiCaller.get("/api/things"), 401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anIdleSessionEndsButUseKeepsItAlive() throws Exception {
    start(config().session("idleTimeout: 2s").route("/api/**", upstream.url("/v1")));
    login();
    for (int i = 0; i < 4; i++) {
      Thread.sleep(700);
      assertThat(browser.get("/api/things").status()).as("use %d", i).isEqualTo(200);
    }
    Thread.sleep(3_100);
    assertProblem(browser.get("/auth/session"), 401);
  }

  @Test
  void afterSecretRotationOldCookiesAreAcceptedAndResealedWithTheNewSecret() {
    TestGateway before = another(config().secrets(TestGateway.SECRET).route("/api/**", upstream.url("/v1")));
    TestGateway during = another(config().secrets(OTHER_SECRET, TestGateway.SECRET).route("/api/**", upstream.url("/v1")));
    TestGateway after = another(config().secrets(OTHER_SECRET).route("/api/**", upstream.url("/v1")));
    Browser original = browserFor(before);
    login(original);
    String oldCookie = original.cookies.get("vestibule");

    Browser rotating = copyOf(original, during);
    Browser.Response session = rotating.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    String resealed = session.setCookie("vestibule");
    assertThat(resealed).as("re-sealed cookie").isNotNull();
    assertThat(rotating.cookies.get("vestibule")).isNotEqualTo(oldCookie);

    Browser rotated = copyOf(rotating, after);
    assertThat(rotated.get("/auth/session").status()).isEqualTo(200);
    assertThat(rotated.get("/api/things").status()).isEqualTo(200);
    assertThat(rotated.post("/api/things", "{}", "X-CSRF-Token", rotated.csrf()).status()).isEqualTo(200);

    Browser stale = copyOf(original, after);
    assertProblem(stale.get("/auth/session"), 401);
  }

  @Test
  void aBigSessionIsSplitIntoChunkCookiesThatEachFit() {
    startDefault();
    provider.userinfoPaddingBytes = 6_000;
    Browser.Response login = login();

    List<String> lines = login.all("set-cookie");
    assertThat(login.setCookie("vestibule.0")).isNotNull();
    assertThat(login.setCookie("vestibule.1")).isNotNull();
    assertThat(lines).noneMatch(line -> line.startsWith("vestibule=") && !clears(line));
    for (String line : lines) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line.substring(0, 12)).isLessThanOrEqualTo(4096);
      if (line.startsWith("vestibule.")) assertThat(attributes(line)).contains("httponly", "path=/");
    }

    Browser.Response session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("bio")).hasSize(6_000);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(String.join(";", header(upstream.last(), "cookie"))).doesNotContain("vestibule");
  }

  @Test
  void whenTheSessionShrinksTheStaleChunksAreCleared() {
    startDefault();
    provider.userinfoPaddingBytes = 6_000;
    login();
    List<String> chunks = browser.cookies.keySet().stream().filter(n -> n.startsWith("vestibule.")).toList();
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(2);

    provider.userinfoPaddingBytes = 0;
    Browser.Response smaller = login();
    assertThat(smaller.setCookie("vestibule")).isNotNull();
    assertThat(clears(smaller.setCookie("vestibule"))).isFalse();
    for (String chunk : chunks) assertThat(clears(smaller.setCookie(chunk))).as(chunk + " cleared").isTrue();
    assertThat(browser.get("/auth/session").json().getJsonObject("user").containsKey("bio")).isFalse();
  }

  @Test
  void logoutClearsEveryChunk() {
    startDefault();
    provider.userinfoPaddingBytes = 6_000;
    login();
    List<String> chunks = browser.cookies.keySet().stream().filter(n -> n.startsWith("vestibule.")).toList();
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(2);

    Browser.Response logout = browser.post("/auth/logout", "", "X-CSRF-Token", browser.csrf());
    assertThat(logout.status()).isEqualTo(204);
    for (String chunk : chunks) assertThat(clears(logout.setCookie(chunk))).as(chunk + " cleared").isTrue();
    assertThat(clears(logout.setCookie("vestibule-csrf"))).isTrue();
    assertThat(browser.cookies).isEmpty();
  }

  @Test
  void aMissingOrReorderedChunkIsNoSession() {
    startDefault();
    provider.userinfoPaddingBytes = 6_000;
    login();

    Browser missing = copyOf(browser);
    missing.cookies.remove("vestibule.1");
    assertProblem(missing.get("/auth/session"), 401);

    Browser swapped = copyOf(browser);
    swapped.cookies.put("vestibule.0", browser.cookies.get("vestibule.1"));
    swapped.cookies.put("vestibule.1", browser.cookies.get("vestibule.0"));
    assertProblem(swapped.get("/auth/session"), 401);
    assertProblem(swapped.get("/api/things"), 401);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void aSessionOfAbout24KiBStillFitsTheHeaderLimitAndWorks() {
    startDefault();
    provider.userinfoPaddingBytes = 16_000;
    login();
    int cookieBytes = cookieHeader(browser).length();
    assertThat(cookieBytes).isGreaterThan(20_000);
    assertThat(browser.get("/auth/session").status()).isEqualTo(200);
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(browser.post("/api/things", "{}", "X-CSRF-Token", browser.csrf()).status()).isEqualTo(200);
  }

  @Test
  void theConfiguredCookieNameAndSameSiteAreUsed() {
    start(config().session("cookieName: sid").session("sameSite: Strict").route("/api/**", upstream.url("/v1")));
    Browser.Response login = login();
    assertThat(login.setCookie("vestibule")).isNull();
    assertThat(attributes(login.setCookie("sid"))).contains("samesite=strict", "httponly");
    assertThat(attributes(login.setCookie("vestibule-csrf"))).contains("samesite=strict");
    browser.cookies.put("other", "1");
    assertThat(browser.get("/api/things").status()).isEqualTo(200);
    assertThat(header(upstream.last(), "cookie")).containsExactly("other=1");
  }

  @Test
  void duringRotationAnOldCsrfTokenStillPassesAndIsReissued() {
    TestGateway before = another(config().secrets(TestGateway.SECRET).route("/api/**", upstream.url("/v1")));
    TestGateway during = another(config().secrets(OTHER_SECRET, TestGateway.SECRET).route("/api/**", upstream.url("/v1")));
    Browser original = browserFor(before);
    login(original);
    String oldCsrf = original.csrf();

    Browser rotating = copyOf(original, during);
    Browser.Response post = rotating.post("/api/notes", "{}", "X-CSRF-Token", oldCsrf);
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.setCookie("vestibule")).isNotNull();
    assertThat(rotating.post("/api/notes", "{}", "X-CSRF-Token", rotating.csrf()).status()).isEqualTo(200);
  }

  @Test
  void theSealedCookieRevealsNothingAboutTheUser() {
    startDefault();
    login();
    String sealed = browser.cookies.get("vestibule");
    for (String part : sealed.split("[^A-Za-z0-9_-]+")) {
      String decoded = new String(java.util.Base64.getUrlDecoder().decode(part.substring(0, part.length() / 4 * 4)),
          StandardCharsets.ISO_8859_1);
      assertThat(decoded).doesNotContain("alice").doesNotContain("Alice").doesNotContain("user-1");
    }
    assertThat(sealed).doesNotContain("alice");
    Browser second = newBrowser();
    login(second);
    assertThat(second.cookies.get("vestibule")).isNotEqualTo(sealed);
  }
}
