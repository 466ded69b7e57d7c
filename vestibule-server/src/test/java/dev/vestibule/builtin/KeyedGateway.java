package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.testing.EchoUpstream;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway with the built-in identity on SQLite and routes guarded by API keys to an {@link EchoUpstream}:
 * {@code /m2m/**} needs {@code restricted}, {@code /any-key/**} {@code custom}. It trusts 127.0.0.1 as a proxy, so
 * a test names the client's address in X-Forwarded-For. With {@code codes: 3/15m}, an address may present
 * {@value #FAILURES_PER_ADDRESS} unknown keys per 15 minutes (ten accounts' worth).
 */
final class KeyedGateway implements AutoCloseable {
  static final int FAILURES_PER_ADDRESS = 30;
  final EchoUpstream upstream = new EchoUpstream();
  final ShiftedClock clock = new ShiftedClock();
  final TestGateway gateway;

  KeyedGateway(Path dir) {
    gateway = new TestGateway(new BuiltinYaml("jdbc:sqlite:" + dir.resolve("identity.db").toAbsolutePath())
        .limits("{login: 1000/1m, register: 1000/1m, codes: 3/15m}")
        .section("trustedProxies: [127.0.0.1/32]")
        .section("""
            routes:
              - path: /m2m/**
                upstream: %s
                auth: apiKey:restricted
              - path: /any-key/**
                upstream: %s
                auth: apiKey:custom
            """.formatted(upstream.url("/v1"), upstream.url("/v1")))
        .build(), clock);
  }

  /** A browser of a newly registered user, logged in. */
  Browser newUser() {
    Browser browser = browser();
    Browser.Response registered = Users.register(browser, "Ada", Users.freshEmail("ada"), Users.PASSWORD);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    return browser;
  }

  Browser browser() {
    return new Browser("http://127.0.0.1:" + gateway.port());
  }

  static String userId(Browser browser) {
    return browser.get("/auth/session").json().getJsonObject("user").getString("id");
  }

  /** POSTs {@code body} to a management action with the CSRF header. */
  static Browser.Response manage(Browser browser, String action, JsonObject body) {
    return browser.post("/auth/api-keys/" + action, body.encode(), "X-CSRF-Token", browser.csrf());
  }

  /** A new key of {@code privilege}; returns the answer of new-token after checking it is a 201. */
  static JsonObject newKey(Browser browser, String privilege) {
    Browser.Response created = manage(browser, "new-token", new JsonObject().put("name", privilege + " key").put("privilege", privilege));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  /** A request with {@code key} in X-API-KEY from a client without cookies, at {@code from} when not null. */
  Browser.Response call(String path, String key, String from) {
    List<String> headers = new ArrayList<>();
    if (key != null) headers.addAll(List.of("X-API-KEY", key));
    if (from != null) headers.addAll(List.of("X-Forwarded-For", from));
    return browser().get(path, headers.toArray(String[]::new));
  }

  @Override
  public void close() {
    gateway.close();
    upstream.close();
  }

  /** The system clock, moved forward by hand. */
  static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void advance(Duration by) {
      shift = shift.plus(by);
    }

    @Override public Instant instant() { return Instant.now().plus(shift); }
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
  }
}
