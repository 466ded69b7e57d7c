package dev.vestibule.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.FakeProvider;
import dev.vestibule.testing.GatewayYaml;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A provider, an echo upstream and (once {@link #start} ran) a gateway in front of them. After each test, every
 * answer the gateway wrote itself is checked for leaked tokens.
 */
abstract class GatewayTest {
  protected FakeProvider provider;
  protected EchoUpstream upstream;
  protected TestGateway gateway;
  protected Browser browser;
  private final List<TestGateway> gateways = new ArrayList<>();
  private final List<Browser> browsers = new ArrayList<>();

  @BeforeEach
  void startServers() {
    provider = new FakeProvider();
    upstream = new EchoUpstream();
    upstream.acceptsToken = token -> provider.isLive(token);
  }

  @AfterEach
  void stopServers() {
    try {
      for (Browser b : browsers) b.history.forEach(GatewayTest.this::assertNoTokenLeaks);
    } finally {
      gateways.forEach(TestGateway::close);
      upstream.close();
      provider.close();
    }
  }

  /** A config with the provider wired in and no routes yet. */
  protected GatewayYaml config() {
    return new GatewayYaml(provider);
  }

  /** Starts the gateway the test talks to, and a browser for it. */
  protected void start(GatewayYaml yaml) {
    gateway = another(yaml);
    browser = browserFor(gateway);
  }

  /** A further gateway (e.g. with other secrets), stopped after the test. */
  protected TestGateway another(GatewayYaml yaml) {
    TestGateway started = new TestGateway(yaml.build());
    gateways.add(started);
    return started;
  }

  protected Browser browserFor(TestGateway target) {
    return track(new Browser(target.url("")));
  }

  protected Browser newBrowser() {
    return browserFor(gateway);
  }

  /** A browser on {@code target} holding a copy of {@code from}'s cookies. */
  protected Browser copyOf(Browser from, TestGateway target) {
    return track(from.copy(target.url("")));
  }

  protected Browser copyOf(Browser from) {
    return copyOf(from, gateway);
  }

  private Browser track(Browser b) {
    browsers.add(b);
    return b;
  }

  protected Browser.Response login(Browser b) {
    Browser.Response login = b.login();
    assertThat(login.status()).as("login").isEqualTo(200);
    return login;
  }

  protected Browser.Response login() {
    return login(browser);
  }

  /** The Cookie header {@code b} would send, for raw requests. */
  protected static String cookieHeader(Browser b) {
    return b.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
  }

  /** The upstream requests made so far, as the upstream saw their paths. */
  protected List<String> upstreamUris() {
    return upstream.received.stream().map(seen -> seen.getString("uri")).toList();
  }

  protected static List<String> header(JsonObject seen, String name) {
    var values = seen.getJsonObject("headers").getJsonArray(name.toLowerCase());
    return values == null ? List.of() : values.stream().map(String::valueOf).toList();
  }

  /** The bearer token an upstream request carried, or null. */
  protected static String bearer(JsonObject seen) {
    List<String> authorization = header(seen, "authorization");
    if (authorization.isEmpty()) return null;
    return authorization.get(0).startsWith("Bearer ") ? authorization.get(0).substring(7) : authorization.get(0);
  }

  /** An RFC 9457 problem with the given status and the members SPEC §3 names. */
  protected static JsonObject assertProblem(Browser.Response response, int status) {
    assertThat(response.status()).as("status of %s: %s", response.path(), response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getString("type")).as("type").isNotBlank();
    assertThat(problem.getString("title")).as("title").isNotBlank();
    assertThat(problem.getInteger("status")).as("status member").isEqualTo(status);
    assertThat(problem.getString("detail")).as("detail").isNotBlank();
    return problem;
  }

  /** A Set-Cookie line that removes its cookie. */
  protected static boolean clears(String setCookie) {
    return setCookie != null && setCookie.toLowerCase().contains("max-age=0");
  }

  /**
   * No token the provider issued appears in a body the gateway wrote, nor in a Set-Cookie value, either as
   * text or base64-decoded. Bodies of proxied answers are the echo upstream's, which repeats its request.
   */
  private void assertNoTokenLeaks(Browser.Response response) {
    List<String> tokens = List.copyOf(provider.issued);
    boolean gatewayBody = response.path().startsWith("/auth/")
        || String.valueOf(response.header("Content-Type")).startsWith("application/problem+json");
    for (String token : tokens) {
      if (gatewayBody) assertThat(response.body()).as("body of %s", response.path()).doesNotContain(token);
      for (String setCookie : response.all("set-cookie")) {
        String value = setCookie.split(";", 2)[0];
        value = value.substring(value.indexOf('=') + 1);
        assertThat(value).as("Set-Cookie of %s", response.path()).doesNotContain(token);
        assertThat(decoded(value)).as("decoded Set-Cookie of %s", response.path()).doesNotContain(token);
      }
    }
  }

  private static String decoded(String value) {
    StringBuilder out = new StringBuilder();
    for (String part : value.split("[^A-Za-z0-9_-]+")) {
      for (int drop = 0; drop < 4 && drop < part.length(); drop++) {
        try {
          out.append(new String(Base64.getUrlDecoder().decode(part.substring(0, part.length() - drop)),
              StandardCharsets.ISO_8859_1));
          break;
        } catch (IllegalArgumentException e) {
          // a base64 text of impossible length: try one character less
        }
      }
    }
    return out.toString();
  }
}
