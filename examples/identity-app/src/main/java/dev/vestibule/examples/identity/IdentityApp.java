package dev.vestibule.examples.identity;

import dev.vestibule.Vestibule;
import dev.vestibule.builtin.BuiltinIdentity;
import dev.vestibule.config.RateLimit;
import dev.vestibule.guard.Guards;
import dev.vestibule.guard.Verified;
import dev.vestibule.identity.apikey.Privilege;
import dev.vestibule.limit.LocalRateLimiter;
import dev.vestibule.limit.RateLimiter;
import dev.vestibule.web.ClientAddress;
import dev.vestibule.web.JsonBodies;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * An application that serves its own routes on Vestibule's built-in identity, using the library guards alone:
 * routes for programs with API keys, a key action of its own, and logins by mailed link and mailed code that land
 * on its own pages. Not one line below checks a key, a session, a link or a code.
 */
public final class IdentityApp {
  private static final int MAX_LINK_REQUEST = 2048;
  /** A client address (an office, a NAT) speaks for many people: it may ask for links for this many addresses. */
  private static final int ADDRESSES_PER_CLIENT = 10;

  private IdentityApp() {}

  public static Router router(Vertx vertx, Vestibule vestibule, Inventory inventory) {
    Router router = Router.router(vertx);
    Guards guards = vestibule.guards();
    BuiltinIdentity identity = vestibule.builtinIdentity()
        .orElseThrow(() -> new IllegalStateException("this app needs identity.type: builtin"));
    vestibule.mountAuthEndpoints(router);

    // Programs: an X-API-KEY of at least the named privilege, no session.
    MachineApi machine = new MachineApi(inventory);
    router.get("/machine/inventory").handler(guards.apiKey(Privilege.RESTRICTED, machine::list));
    router.post("/machine/inventory").handler(guards.apiKey(Privilege.PROTECTED,
        guards.byteLimit(MachineApi.MAX_ITEM_BODY, Set.of(), machine::add)));
    // Identical concurrent requests with one key compile the report once.
    router.get("/machine/inventory/report").handler(guards.apiKey(Privilege.RESTRICTED,
        guards.deduplicated(machine::report)));

    // People: an action on the logged-in user's own keys (POST, session, CSRF header, at most 2 KB of JSON).
    router.route("/account/keys/summary").handler(guards.apiManagement(new KeySummary(identity, Clock.systemUTC())));

    // Logins by mail, landing on this app's pages.
    RateLimit perAddress = vestibule.config().limits().codes();
    ClientAddress clients = vestibule.clientAddress();
    String welcomeUrl = vestibule.config().publicUrl() + "/welcome";
    router.post("/login/email-link").handler(guards.csrf(
        RateLimited.perClient(limiter(perAddress, ADDRESSES_PER_CLIENT), clients,
            guards.byteLimit(MAX_LINK_REQUEST, Set.of(), new EmailLinks(identity, limiter(perAddress, 1), welcomeUrl)))));
    router.route("/welcome").handler(guards.magicLink(Welcome::render));
    router.route("/login/code").handler(guards.mfaCode(ctx -> JsonBodies.send(ctx, 200, new JsonObject()
        .put("user", new JsonObject(Verified.of(ctx).user()))
        .put("welcome", Verified.of(ctx).user().get("name")))));

    router.route().failureHandler(vestibule.failureHandler());
    return router;
  }

  private static RateLimiter limiter(RateLimit limit, int times) {
    return new LocalRateLimiter(limit.permits() * times, limit.window(), Clock.systemUTC());
  }

  /** {@code java -cp ... IdentityApp vestibule.yaml 8081} */
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Vestibule vestibule = Vestibule.fromYaml(vertx, Files.readString(Path.of(args[0])), System.getenv());
    HttpServer server = vertx.createHttpServer()
        .requestHandler(router(vertx, vestibule, new Inventory(Duration.ofSeconds(1))))
        .listen(Integer.parseInt(args[1]), "127.0.0.1").await();
    System.out.println("identity app on http://127.0.0.1:" + server.actualPort());
  }
}
