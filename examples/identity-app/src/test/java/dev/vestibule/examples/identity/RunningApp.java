package dev.vestibule.examples.identity;

import dev.vestibule.Vestibule;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The identity app on a free loopback port, with its own SQLite file and mail to a local SMTP server. */
final class RunningApp implements AutoCloseable {
  /** Links in mails point here; tests follow them on the app's real port. */
  static final String PUBLIC_URL = "http://localhost:8080";
  static final String PASSWORD = "violet-harbour-lantern-42";
  /** Every request of a test comes from 127.0.0.1: limits are generous unless a test checks one. */
  static final String GENEROUS_LIMITS = "{login: 1000/1m, register: 1000/1m, codes: 1000/1m}";

  final Inventory inventory = new Inventory(Duration.ofMillis(800));
  private final Vertx vertx = Vertx.vertx();
  private final Vestibule vestibule;
  private final String base;

  RunningApp(Path folder, int smtpPort, String limits) throws Exception {
    String yaml = """
        publicUrl: %s
        session:
          secrets: ["%s"]
        identity:
          type: builtin
          database: "jdbc:sqlite:%s"
        limits: %s
        mail: {smtp: "smtp://127.0.0.1:%d", from: shop@example.org}
        """.formatted(PUBLIC_URL, TestGateway.SECRET, folder.resolve("identity.db"), limits, smtpPort);
    vestibule = Vestibule.fromYaml(vertx, yaml, Map.of());
    HttpServer server = vertx.createHttpServer()
        .requestHandler(IdentityApp.router(vertx, vestibule, inventory))
        .listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
  }

  Browser browser() {
    return new Browser(base);
  }

  /** A new browser logged in as a newly registered user; the user's address is in {@code email}. */
  Browser registered(String name, String email) {
    Browser browser = browser();
    Browser.Response registered = browser.post("/auth/register",
        new JsonObject().put("name", name).put("email", email).put("password", PASSWORD).encode());
    if (registered.status() != 201) throw new AssertionError("registration answered " + registered.status());
    return browser;
  }

  /** An address no other test uses, like {@code ada-1f3c9a2b@example.org}. */
  static String freshEmail(String name) {
    return name.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
  }

  /** A new API key of the browser's user, made through {@code /auth/api-keys/new-token}. */
  static String newKey(Browser owner, String privilege) {
    Browser.Response created = owner.post("/auth/api-keys/new-token",
        new JsonObject().put("name", privilege + " robot").put("privilege", privilege).encode(),
        "X-CSRF-Token", owner.csrf());
    if (created.status() != 201) throw new AssertionError("new-token answered " + created.status() + " " + created.body());
    return created.json().getString("rawApiKey");
  }

  @Override
  public void close() {
    vertx.close().await();
    vestibule.close();
  }
}
