package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteRulesTest {

  @TempDir
  Path dir;

  private static RouteConfig only(String route) throws ConfigException {
    return Yamls.withSession("routes:\n  - " + route.replace("\n", "\n    ") + "\n").routes().get(0);
  }

  private static String error(String route) {
    return Yamls.errorWithSession("routes:\n  - " + route.replace("\n", "\n    ") + "\n");
  }

  @Test
  void upstreamRouteGetsItsDefaults() throws ConfigException {
    RouteConfig r = only("path: /api/**\nupstream: http://127.0.0.1:9001/v1/");
    assertThat(r.upstream()).contains(URI.create("http://127.0.0.1:9001/v1"));
    assertThat(r.auth()).isEqualTo(RouteAuth.of(RouteAuthMode.REQUIRED));
    assertThat(r.relay()).isEqualTo(Relay.BEARER);
    assertThat(r.csrf()).isTrue();
    assertThat(r.maxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.dedupe()).isFalse();
    assertThat(r.methods()).isEmpty();
    assertThat(r.isStatic()).isFalse();
  }

  @Test
  void staticRouteGetsItsDefaults() throws ConfigException {
    RouteConfig r = only("path: /**\nstatic: " + dir);
    assertThat(r.staticDir()).contains(dir.toAbsolutePath().normalize());
    assertThat(r.auth()).isEqualTo(RouteAuth.of(RouteAuthMode.NONE));
    assertThat(r.relay()).isEqualTo(Relay.NONE);
    assertThat(r.csrf()).isFalse();
    assertThat(r.isStatic()).isTrue();
    assertThat(only("path: /app/**\nstatic: " + dir + "\nauth: required").auth().mode()).isEqualTo(RouteAuthMode.REQUIRED);
  }

  @Test
  void explicitSettingsAreRead() throws ConfigException {
    RouteConfig r = only("path: /files/**\nupstream: https://files.internal\nauth: optional\nrelay: cookie:at\n"
        + "csrf: false\nmaxBodyBytes: 64KiB\ntimeout: 2m\ndedupe: true\nmethods: [get, Post, GET]");
    assertThat(r.auth().mode()).isEqualTo(RouteAuthMode.OPTIONAL);
    assertThat(r.relay()).isEqualTo(Relay.cookie("at"));
    assertThat(r.csrf()).isFalse();
    assertThat(r.maxBodyBytes()).isEqualTo(65_536L);
    assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.dedupe()).isTrue();
    assertThat(r.methods()).containsExactlyInAnyOrder("GET", "POST");
    assertThat(r.allowsMethod("DELETE")).isFalse();
  }

  @Test
  void csrfDefaultsFollowTheAuthMode() throws ConfigException {
    assertThat(only("path: /a\nupstream: http://u\nauth: optional").csrf()).isTrue();
    assertThat(only("path: /a\nupstream: http://u\nauth: none").csrf()).isFalse();
    assertThat(only("path: /a\nupstream: http://u\nauth: apiKey:demo").csrf()).isFalse();
    assertThat(only("path: /a\nupstream: http://u\nauth: none\ncsrf: true").csrf()).isTrue();
  }

  @Test
  void apiKeyRouteNeedsAKnownPrivilege() throws ConfigException {
    assertThat(only("path: /m2m/**\nupstream: http://u\nauth: apiKey:protected").auth())
        .isEqualTo(RouteAuth.apiKey(Privilege.PROTECTED));
    assertThat(error("path: /m\nupstream: http://u\nauth: apiKey:admin"))
        .isEqualTo("routes[0].auth: 'admin' is not a privilege; use one of custom, demo, restricted, protected, full");
    assertThat(error("path: /m\nupstream: http://u\nauth: apiKey"))
        .isEqualTo("routes[0].auth: 'apiKey' needs a privilege: write apiKey:<privilege> with one of custom, demo,"
            + " restricted, protected, full");
  }

  @Test
  void apiKeyRouteNeedsBuiltinIdentity() {
    assertThat(Yamls.errorWithSession("identity: {type: oauth2, tokenEndpoint: 'http://idp/t', clientId: web}\n"
        + "routes:\n  - {path: /m, upstream: 'http://u', auth: 'apiKey:full'}\n")).isEqualTo(
        "routes[0].auth: apiKey routes need identity.type builtin (type is oauth2); use required, optional or none");
  }

  @Test
  void unknownAuthModeIsRejected() {
    assertThat(error("path: /a\nupstream: http://u\nauth: session"))
        .isEqualTo("routes[0].auth: 'session' is not one of required, optional, none or apiKey:<privilege>");
  }

  @Test
  void relayFormsAreChecked() {
    assertThat(error("path: /a\nupstream: http://u\nrelay: header"))
        .isEqualTo("routes[0].relay: 'header' is not one of bearer, cookie:<name> or none");
    assertThat(error("path: /a\nupstream: http://u\nrelay: 'cookie:bad name'"))
        .isEqualTo("routes[0].relay: 'bad name' is not a valid cookie name; use only letters, digits, - and _");
    assertThat(error("path: /a\nupstream: http://u\nrelay: 'cookie:'"))
        .isEqualTo("routes[0].relay: 'cookie:' needs a cookie name, like cookie:access_token");
  }

  @Test
  void pathIsRequiredAndMustBeWellFormed() {
    assertThat(error("upstream: http://u")).isEqualTo("routes[0].path: missing; write the path it serves, like /api/** or /health");
    assertThat(error("path: api/**\nupstream: http://u")).isEqualTo("routes[0].path: 'api/**' must start with /, like /api/**");
    assertThat(error("path: /api/*\nupstream: http://u")).isEqualTo("routes[0].path: '/api/*' has a * in the wrong place;"
        + " end a prefix route with /** (like /api/**) or write an exact path without *");
    assertThat(error("path: /a/**/b\nupstream: http://u")).startsWith("routes[0].path: '/a/**/b' has a * in the wrong place");
    assertThat(error("path: /a/../b\nupstream: http://u")).startsWith("routes[0].path: '/a/../b' has an empty, . or .. segment");
    assertThat(error("path: /a//b\nupstream: http://u")).startsWith("routes[0].path: '/a//b' has an empty, . or .. segment");
    assertThat(error("path: '/a?b'\nupstream: http://u")).startsWith("routes[0].path: '/a?b' must be a plain path");
  }

  @Test
  void exactlyOneOfUpstreamAndStatic() {
    assertThat(error("path: /a")).isEqualTo("routes[0]: needs upstream (a URL to proxy to) or static (a directory to serve)");
    assertThat(error("path: /a\nupstream: http://u\nstatic: " + dir))
        .isEqualTo("routes[0]: has both upstream and static; keep one (a route either proxies or serves files)");
  }

  @Test
  void upstreamMustBeAPlainHttpUrl() {
    assertThat(error("path: /a\nupstream: 127.0.0.1:9001"))
        .startsWith("routes[0].upstream: '127.0.0.1:9001' is not an absolute http(s) URL");
    assertThat(error("path: /a\nupstream: http://u/x?y=1")).isEqualTo("routes[0].upstream: 'http://u/x?y=1' must not have a ?query; remove it");
    assertThat(error("path: /a\nupstream: http://u/x#f")).isEqualTo("routes[0].upstream: 'http://u/x#f' must not have a #fragment; remove it");
  }

  @Test
  void staticDirectoryMustExist() throws Exception {
    Path missing = dir.resolve("nope");
    assertThat(error("path: /**\nstatic: " + missing)).isEqualTo("routes[0].static: directory " + missing
        + " does not exist; create it or fix the path (relative paths start from the working directory)");
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    assertThat(error("path: /**\nstatic: " + file)).startsWith("routes[0].static: " + file + " is not a directory");
  }

  @Test
  void upstreamOnlyKeysAreRejectedOnStaticRoutes() {
    assertThat(error("path: /**\nstatic: " + dir + "\nrelay: bearer")).isEqualTo(
        "routes[0].relay: not used by static routes; remove it (a static route takes only path, static, auth)");
    assertThat(error("path: /**\nstatic: " + dir + "\nmaxBodyBytes: 1MiB")).startsWith("routes[0].maxBodyBytes: not used by static routes");
  }

  @Test
  void limitsOfARouteMustBeAboveZero() {
    assertThat(error("path: /a\nupstream: http://u\nmaxBodyBytes: 0")).isEqualTo("routes[0].maxBodyBytes: must be more than 0; write it like 1MiB");
    assertThat(error("path: /a\nupstream: http://u\ntimeout: 0")).isEqualTo("routes[0].timeout: must be longer than 0; write it like 30s");
    assertThat(error("path: /a\nupstream: http://u\nmaxBodyBytes: 1MB")).startsWith("routes[0].maxBodyBytes: '1MB' uses an ambiguous unit");
  }

  @Test
  void methodsMustBeMethodNames() {
    assertThat(error("path: /a\nupstream: http://u\nmethods: [GET, 'PO ST']"))
        .isEqualTo("routes[0].methods[1]: 'PO ST' is not an HTTP method; write names like GET or POST");
  }

  @Test
  void duplicatePathsAreRejected() {
    assertThat(Yamls.errorWithSession("routes:\n  - {path: /api/**, upstream: 'http://a'}\n  - {path: /x, upstream: 'http://b'}\n"
        + "  - {path: /api/**, upstream: 'http://c'}\n"))
        .isEqualTo("routes[2].path: '/api/**' is already used by routes[0]; merge the two routes or change one path");
  }

  @Test
  void routesKeepTheirOrder() throws ConfigException {
    VestibuleConfig c = Yamls.withSession("routes:\n  - {path: /api/**, upstream: 'http://a'}\n  - {path: /**, upstream: 'http://b'}\n");
    assertThat(c.routes()).extracting(RouteConfig::path).containsExactly("/api/**", "/**");
    assertThat(c.routes().get(1).upstream()).isEqualTo(Optional.of(URI.create("http://b")));
  }
}
