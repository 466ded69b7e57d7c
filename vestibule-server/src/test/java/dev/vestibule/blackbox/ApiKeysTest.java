package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6 "API keys for machine-to-machine routes" and §7 API-key management and {@code auth: apiKey:<privilege>}
 * routes. The stack has one route per privilege: {@code /m2m/<privilege>/**}.
 */
class ApiKeysTest extends DefaultStackTest {
  static final List<String> PRIVILEGES = List.of("custom", "demo", "restricted", "protected", "full");
  static Stack.User owner;

  @BeforeAll
  static void start() {
    owner = stack.register("Owner");
  }

  /** A new key of {@code owner}: the 201 answer's body. */
  private static JsonObject newKey(Stack.User user, JsonObject request) {
    Http.Answer answer = user.browser().postJsonCsrf("/auth/api-keys/new-token", request);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    return answer.json();
  }

  private static JsonObject newKey(String name, String privilege) {
    return newKey(owner, new JsonObject().put("name", name).put("privilege", privilege));
  }

  /** The metadata of {@code name} in the owner's list. */
  private static JsonObject listed(Stack.User user, String name) {
    Http.Answer list = user.browser().get("/auth/api-keys");
    assertThat(list.status()).isEqualTo(200);
    return list.json().getJsonArray("keys").stream().map(JsonObject.class::cast)
        .filter(k -> name.equals(k.getString("name"))).findFirst().orElse(null);
  }

  private static Http.Answer call(String privilegeRoute, String key) {
    return key == null ? stack.browser().get("/m2m/" + privilegeRoute + "/ping")
        : stack.browser().get("/m2m/" + privilegeRoute + "/ping", "X-API-KEY", key);
  }

  private static Http.Answer manage(String action, JsonObject body) {
    return owner.browser().postJsonCsrf("/auth/api-keys/" + action, body);
  }

  // "POST /auth/api-keys/new-token {name, privilege?, ipv4?, expires?} → 201 {rawApiKey, expiresAt} (the only
  // time the key is shown)"; "GET /auth/api-keys (metadata, never the key)"
  @Test
  void aNewKeyIsShownOnceAndTheListGivesOnlyItsMetadata() {
    JsonObject created = newKey("shown-once", "full");
    String raw = created.getString("rawApiKey");
    assertThat(raw).isNotBlank().hasSizeGreaterThan(20);
    assertThat(created.containsKey("expiresAt")).isTrue();
    assertThat(created.getValue("expiresAt")).isNull();

    Http.Answer list = owner.browser().get("/auth/api-keys");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(raw).doesNotContain("rawApiKey");
    JsonObject meta = listed(owner, "shown-once");
    assertThat(meta).isNotNull();
    assertThat(meta.getString("privilege")).isEqualTo("full");
  }

  // "expires?" → "expiresAt"
  @Test
  void aKeyWithAnExpiryReportsItsExpiresAt() {
    String when = "2031-03-04T05:06:07Z";
    JsonObject created = newKey(owner, new JsonObject().put("name", "expiring").put("privilege", "demo").put("expires", when));
    assertThat(Instant.parse(created.getString("expiresAt"))).isEqualTo(Instant.parse(when));
  }

  // "A route with auth: apiKey:<privilege> accepts X-API-KEY with at least that privilege (custom < demo <
  // restricted < protected < full) ... privilege too low ... → 403"
  @Test
  void eachPrivilegeReachesExactlyTheRoutesAtOrBelowIt() {
    for (int k = 0; k < PRIVILEGES.size(); k++) {
      String raw = newKey("order-" + PRIVILEGES.get(k), PRIVILEGES.get(k)).getString("rawApiKey");
      for (int r = 0; r < PRIVILEGES.size(); r++) {
        Http.Answer answer = call(PRIVILEGES.get(r), raw);
        int expected = k >= r ? 200 : 403;
        assertThat(answer.status()).as("key %s on route %s: %s", PRIVILEGES.get(k), PRIVILEGES.get(r), answer)
            .isEqualTo(expected);
      }
    }
  }

  // "the upstream gets X-Vestibule-Key-Id and X-Vestibule-User, never the key."
  @Test
  void theUpstreamGetsTheKeyIdAndTheUserButNeverTheKey() {
    String raw = newKey("relayed", "restricted").getString("rawApiKey");
    Http.Answer answer = call("restricted", raw);
    assertThat(answer.status()).isEqualTo(200);
    JsonObject seen = stack.upstream.last();
    assertThat(seen.getString("uri")).isEqualTo("/v1/ping");
    JsonObject headers = seen.getJsonObject("headers");
    assertThat(headers.getJsonArray("x-vestibule-key-id").getString(0)).isNotBlank().doesNotContain(raw);
    String userId = owner.json().getJsonObject("user").getValue("id").toString();
    assertThat(headers.getJsonArray("x-vestibule-user").getString(0)).isIn(userId, owner.email());
    assertThat(headers.containsKey("x-api-key")).isFalse();
    assertThat(headers.encode()).doesNotContain(raw);
  }

  // "the upstream gets X-Vestibule-Key-Id and X-Vestibule-User": only the gateway's own values, never ones a
  // client made up, and without Vestibule's own cookies (§3).
  @Test
  void clientSentIdentityHeadersNeverReachTheUpstream() {
    String raw = newKey("spoofed", "demo").getString("rawApiKey");
    Http browser = stack.login(owner);
    Http.Answer answer = browser.get("/m2m/demo/ping", "X-API-KEY", raw, "X-Vestibule-User", "admin",
        "X-Vestibule-Key-Id", "someone-else");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject headers = stack.upstream.last().getJsonObject("headers");
    assertThat(headers.getJsonArray("x-vestibule-user").getList()).hasSize(1).doesNotContain("admin");
    assertThat(headers.getJsonArray("x-vestibule-key-id").getList()).hasSize(1).doesNotContain("someone-else");
    String cookie = headers.containsKey("cookie") ? headers.getJsonArray("cookie").encode() : "";
    assertThat(cookie).doesNotContain("vestibule");

    Http.Answer viaSession = browser.get("/api/me", "X-Vestibule-User", "admin", "X-Vestibule-Key-Id", "someone-else");
    assertThat(viaSession.status()).isEqualTo(200);
    JsonObject sessionHeaders = stack.upstream.last().getJsonObject("headers");
    assertThat(sessionHeaders.containsKey("x-vestibule-key-id")).as(sessionHeaders.encode()).isFalse();
    assertThat(sessionHeaders.containsKey("x-vestibule-user")
        && sessionHeaders.getJsonArray("x-vestibule-user").getList().contains("admin")).as(sessionHeaders.encode()).isFalse();
  }

  // "Bad key → 401"
  @Test
  void aMissingOrUnknownKeyGets401AndNothingIsForwarded() {
    int before = stack.upstream.received.size();
    assertProblem(call("custom", null), 401);
    assertProblem(call("custom", "vst_not_a_real_key_0123456789"), 401);
    assertThat(stack.upstream.received).hasSize(before);
  }

  // "from an allowed IPv4 if restricted ... IP not allowed → 403"; "ip-restriction-update"
  @Test
  void anIpRestrictedKeyWorksOnlyFromItsAddressAndTheRestrictionCanBeUpdated() {
    JsonObject created = newKey(owner, new JsonObject().put("name", "ip-bound").put("privilege", "full").put("ipv4", "10.1.2.3"));
    String raw = created.getString("rawApiKey");
    int before = stack.upstream.received.size();
    assertProblem(call("demo", raw), 403);
    assertThat(stack.upstream.received).hasSize(before);

    String tokenId = listed(owner, "ip-bound").getString("tokenId");
    Http.Answer update = manage("ip-restriction-update", new JsonObject().put("tokenId", tokenId).put("ipv4", "127.0.0.1"));
    assertThat(update.status()).as(update.toString()).isBetween(200, 204);
    assertThat(listed(owner, "ip-bound").getString("ipv4")).isEqualTo("127.0.0.1");
    assertThat(call("demo", raw).status()).isEqualTo(200);
  }

  // §2 "trustedProxies: []  # ... from anyone else it [X-Forwarded-For] is ignored (rate limits, IP rules)"
  @Test
  void anUntrustedXForwardedForDoesNotSatisfyAnIpRestriction() {
    String raw = newKey(owner, new JsonObject().put("name", "xff-bound").put("privilege", "full").put("ipv4", "10.7.7.7"))
        .getString("rawApiKey");
    assertProblem(stack.browser().get("/m2m/demo/ping", "X-API-KEY", raw, "X-Forwarded-For", "10.7.7.7"), 403);
  }

  // "revoke"
  @Test
  void aRevokedKeyGets401() {
    String raw = newKey("to-revoke", "full").getString("rawApiKey");
    assertThat(call("full", raw).status()).isEqualTo(200);
    String tokenId = listed(owner, "to-revoke").getString("tokenId");
    Http.Answer revoked = manage("revoke", new JsonObject().put("tokenId", tokenId));
    assertThat(revoked.status()).as(revoked.toString()).isBetween(200, 204);
    assertProblem(call("full", raw), 401);
  }

  // "rotate": a new key replaces the old one.
  @Test
  void rotatingGivesANewKeyAndTheOldOneStopsWorking() {
    String raw = newKey("to-rotate", "protected").getString("rawApiKey");
    String tokenId = listed(owner, "to-rotate").getString("tokenId");
    Http.Answer rotated = manage("rotate", new JsonObject().put("tokenId", tokenId));
    assertThat(rotated.status()).as(rotated.toString()).isBetween(200, 201);
    String fresh = rotated.json().getString("rawApiKey");
    assertThat(fresh).isNotBlank().isNotEqualTo(raw);
    assertProblem(call("protected", raw), 401);
    assertThat(call("protected", fresh).status()).isEqualTo(200);
    assertThat(owner.browser().get("/auth/api-keys").body()).doesNotContain(fresh);
  }

  // "privilege-update"
  @Test
  void raisingAndLoweringThePrivilegeTakesEffect() {
    String raw = newKey("to-raise", "demo").getString("rawApiKey");
    String tokenId = listed(owner, "to-raise").getString("tokenId");
    assertProblem(call("protected", raw), 403);
    Http.Answer up = manage("privilege-update", new JsonObject().put("tokenId", tokenId).put("privilege", "protected"));
    assertThat(up.status()).as(up.toString()).isBetween(200, 204);
    assertThat(call("protected", raw).status()).isEqualTo(200);
    manage("privilege-update", new JsonObject().put("tokenId", tokenId).put("privilege", "custom"));
    assertProblem(call("demo", raw), 403);
    assertThat(listed(owner, "to-raise").getString("privilege")).isEqualTo("custom");
  }

  // §6 "usage count and last use"; "metadata"
  @Test
  void theMetadataCountsUsesAndTheLastUse() {
    String raw = newKey("counted", "demo").getString("rawApiKey");
    String tokenId = listed(owner, "counted").getString("tokenId");
    for (int i = 0; i < 3; i++) assertThat(call("demo", raw).status()).isEqualTo(200);
    Http.Answer meta = manage("metadata", new JsonObject().put("tokenId", tokenId));
    assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
    assertThat(meta.body()).doesNotContain(raw);
    JsonObject body = meta.json();
    JsonObject key = body.containsKey("key") ? body.getJsonObject("key") : body;
    assertThat(key.getString("name")).isEqualTo("counted");
    assertThat(key.getInteger("usageCount")).isEqualTo(3);
    assertThat(Instant.parse(key.getString("lastUsedAt"))).isAfter(Instant.now().minusSeconds(60));
  }

  // §6 "expiry": a key past its expiry is a bad key.
  @Test
  void anExpiredKeyGets401() {
    String soon = Instant.now().plusSeconds(2).toString();
    String raw = newKey(owner, new JsonObject().put("name", "short-lived").put("privilege", "full").put("expires", soon))
        .getString("rawApiKey");
    assertThat(call("full", raw).status()).isEqualTo(200);
    long deadline = System.currentTimeMillis() + 10_000;
    int status = 200;
    while (status == 200 && System.currentTimeMillis() < deadline) {
      Mail.pause(250);
      status = call("full", raw).status();
    }
    assertThat(status).isEqualTo(401);
  }

  // "where the client submits only a tokenId and the server resolves the rest": another user's tokenId resolves
  // to nothing of theirs.
  @Test
  void anotherUserCannotManageMyKeys() {
    JsonObject created = newKey("mine-only", "full");
    String raw = created.getString("rawApiKey");
    String tokenId = listed(owner, "mine-only").getString("tokenId");
    Stack.User mallory = stack.register("Mallory");
    for (String action : new String[] {"revoke", "rotate", "metadata", "privilege-update", "ip-restriction-update"}) {
      JsonObject body = new JsonObject().put("tokenId", tokenId).put("privilege", "custom").put("ipv4", "10.9.9.9");
      Http.Answer answer = mallory.browser().postJsonCsrf("/auth/api-keys/" + action, body);
      assertThat(answer.status()).as(action + ": " + answer).isIn(403, 404);
    }
    assertThat(mallory.browser().get("/auth/api-keys").json().getJsonArray("keys")).isEmpty();
    assertThat(call("full", raw).status()).isEqualTo(200);
  }

  // "for the logged-in user"; "all state-changing ones need the CSRF header once a session exists."
  @Test
  void managementNeedsASessionAndTheCsrfHeader() {
    assertProblem(stack.browser().get("/auth/api-keys"), 401);
    assertProblem(stack.browser().postJson("/auth/api-keys/new-token", new JsonObject().put("name", "x")), 401);
    assertProblem(owner.browser().postJson("/auth/api-keys/new-token", new JsonObject().put("name", "x")), 403);
    assertThat(listed(owner, "x")).isNull();
  }

  // "privileges custom | demo | restricted | protected | full": anything else is refused.
  @Test
  void anUnknownPrivilegeIsRefused() {
    Http.Answer answer = owner.browser().postJsonCsrf("/auth/api-keys/new-token",
        new JsonObject().put("name", "odd").put("privilege", "admin"));
    JsonObject problem = assertProblem(answer, 400);
    JsonArray errors = problem.getJsonArray("errors");
    assertThat(errors.encode()).contains("privilege");
  }
}
