package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.RawHttp;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PathSafetyTest extends GatewayTest {
  private String cookie;

  @BeforeEach
  void startGateway() {
    start(config()
        .route("/api/**", upstream.url("/v1"))
        .route("/pub/**", upstream.url("/v1/pub"), "auth: none"));
    login();
    cookie = cookieHeader(browser);
  }

  private int get(String target) {
    return RawHttp.status(gateway.port(), "GET " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Cookie: " + cookie + "\r\n"
        + "Connection: close\r\n\r\n");
  }

  /**
   * The upstream path as a lenient upstream reads it: decoded once, path parameters ({@code ;x}) dropped from
   * each segment as servlet containers do, and dot segments resolved.
   */
  private static String asUpstreamReadsIt(String uri) {
    String path = uri.split("\\?", 2)[0].replace('\\', '/');
    String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8).replace('\\', '/');
    String withoutParameters = decoded.replaceAll(";[^/]*", "");
    return URI.create("http://upstream" + withoutParameters.replace(" ", "%20")).normalize().getPath();
  }

  private void assertNothingLeftTheUpstreamPrefix() {
    for (String uri : upstreamUris()) {
      assertThat(uri).as("raw upstream target").startsWith("/v1/");
      assertThat(asUpstreamReadsIt(uri)).as("upstream target %s read by the upstream", uri).startsWith("/v1/");
    }
  }

  @Test
  void pathsThatClimbOutOfTheRouteAreRefusedOrStayInside() {
    List<String> attacks = List.of(
        "/api/../admin",
        "/api/x/../../admin",
        "/api/%2e%2e/admin",
        "/api/%2E%2E/admin",
        "/api/.%2e/admin",
        "/api/%2e%2e/%2e%2e/admin",
        "/api/x%2fy",
        "/api/x%2F..%2F..%2Fadmin",
        "/api/..%2f..%2fadmin",
        "/api/a\\b",
        "/api/..\\..\\admin",
        "/api/%5c..%5c..%5cadmin",
        "/api/%00/x",
        "//evil.example/x",
        "//evil.example/api/x",
        "/pub/../api/../admin",
        "/pub/%2e%2e/secret",
        "/api/..;/admin",
        "/api/x/..;/..;/admin",
        "/api/%2e%2e;x/admin",
        "/api/..%3b/admin",
        "/api/.;/..;/admin");
    for (String attack : attacks) {
      int status = get(attack);
      assertThat(status).as(attack).isIn(200, 400, 404);
    }
    assertNothingLeftTheUpstreamPrefix();
    assertThat(upstreamUris()).noneMatch(uri -> uri.contains("admin") || uri.contains("secret"));
  }

  @Test
  void anAbsoluteFormTargetNeverReachesAnotherHost() {
    int status = get("http://evil.example/api/x");
    assertThat(status).isIn(200, 400);
    if (status == 200) assertThat(upstream.last().getString("uri")).isEqualTo("/v1/x");
    int other = get("http://evil.example/admin");
    assertThat(other).isIn(400, 404);
    assertNothingLeftTheUpstreamPrefix();
  }

  @Test
  void encodedSlashesAndBackslashesAreRefusedNotForwarded() {
    assertThat(get("/api/x%2fy")).isEqualTo(400);
    assertThat(get("/api/a%5cb")).isEqualTo(400);
    assertThat(get("/api/a\\b")).isEqualTo(400);
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void dotSegmentsInsideTheRouteAreNormalised() {
    assertThat(get("/api/./x")).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/x");
    assertThat(get("/api/a/../b?q=1")).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/b?q=1");
    assertThat(get("/api/a/%2e%2e/c")).isEqualTo(200);
    assertThat(upstream.last().getString("uri")).isEqualTo("/v1/c");
    assertThat(get("/api//double//slash")).isIn(200, 400);
    assertNothingLeftTheUpstreamPrefix();
  }

  @Test
  void aPathOnlyLookingLikeThePrefixIsNotTheRoute() {
    assertThat(get("/apix/secret")).isEqualTo(404);
    assertThat(get("/api")).isIn(200, 404);
    assertThat(upstreamUris()).noneMatch(uri -> uri.contains("secret"));
    assertNothingLeftTheUpstreamPrefixOrIsTheRoot();
  }

  private void assertNothingLeftTheUpstreamPrefixOrIsTheRoot() {
    for (String uri : upstreamUris()) assertThat(uri).matches("/v1(/.*)?");
  }

  @Test
  void aPublicRouteNeverReachesPathsOutsideItsOwnPrefix() {
    for (String attack : List.of("/pub/..;/secret", "/pub/x/..;/..;/secret", "/pub/%2e%2e;/secret", "/pub/..%3B/secret",
        "/pub/..;jsessionid=1/secret", "/pub/%2e%2e/secret", "/pub/..%2fsecret")) {
      int status = RawHttp.status(gateway.port(), "GET " + attack + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(status).as(attack).isIn(200, 400, 401, 404);
    }
    for (String uri : upstreamUris()) {
      assertThat(asUpstreamReadsIt(uri)).as("upstream target %s read by the upstream", uri).startsWith("/v1/pub/");
    }
  }

  @Test
  void aNarrowerRouteCannotBeSkippedWithPathParametersOrEncodedLetters() {
    start(config()
        .route("/api/admin/**", upstream.url("/v1/admin"))
        .route("/api/**", upstream.url("/v1"), "auth: none"));
    for (String attack : List.of("/api/admin;x/secret", "/api/admin%3bx/secret", "/api/admin%3B/secret",
        "/api/admin;/secret", "/api/%61dmin/secret", "/api/adm%69n/secret")) {
      int status = RawHttp.status(gateway.port(), "GET " + attack + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(status).as(attack).isIn(400, 401);
    }
    assertThat(upstreamUris()).noneMatch(uri -> uri.contains("secret"));
  }
}
