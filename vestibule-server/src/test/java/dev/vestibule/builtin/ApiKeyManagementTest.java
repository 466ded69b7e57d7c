package dev.vestibule.builtin;

import static dev.vestibule.builtin.KeyedGateway.manage;
import static dev.vestibule.builtin.KeyedGateway.newKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A logged-in user manages their API keys over HTTP (SPEC §7), through the gateway. */
class ApiKeyManagementTest {
  @TempDir Path dir;
  KeyedGateway gateway;

  @BeforeEach
  void start() {
    gateway = new KeyedGateway(dir);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  static List<String> errorFields(Browser.Response response) {
    JsonArray errors = response.json().getJsonArray("errors");
    return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  @Test
  void newTokenShowsTheKeyOnceAndTheListShowsOnlyItsMetadata() {
    Browser ada = gateway.newUser();
    Instant before = Instant.now();
    Browser.Response created = manage(ada, "new-token", new JsonObject()
        .put("name", "deploy bot").put("privilege", "protected").put("ipv4", "203.0.113.0/24").put("expires", "P30D"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    String raw = created.json().getString("rawApiKey");
    assertThat(raw).matches("vst_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}");
    assertThat(Instant.parse(created.json().getString("expiresAt"))).isBetween(
        before.plus(Duration.ofDays(30)).minusSeconds(1), Instant.now().plus(Duration.ofDays(30)));
    String tokenId = created.json().getString("tokenId");

    Browser.Response listed = ada.get("/auth/api-keys");
    assertThat(listed.status()).isEqualTo(200);
    JsonObject key = listed.json().getJsonArray("keys").getJsonObject(0);
    assertThat(listed.json().getJsonArray("keys")).hasSize(1);
    assertThat(key.getString("tokenId")).isEqualTo(tokenId);
    assertThat(key.getString("name")).isEqualTo("deploy bot");
    assertThat(key.getString("privilege")).isEqualTo("protected");
    assertThat(key.getString("ipv4")).isEqualTo("203.0.113.0/24");
    assertThat(key.getString("expiresAt")).isEqualTo(created.json().getString("expiresAt"));
    assertThat(key.getBoolean("expired")).isFalse();
    assertThat(key.getLong("usageCount")).isZero();
    assertThat(key.getValue("lastUsedAt")).isNull();
    String prefix = raw.split("_")[1];
    assertThat(listed.body()).doesNotContain(raw).doesNotContain(prefix).doesNotContain(KeyedGateway.userId(ada));
  }

  @Test
  void aKeyWithoutPrivilegeOrExpiryIsADemoKeyThatNeverExpires() {
    Browser ada = gateway.newUser();
    Browser.Response created = manage(ada, "new-token", new JsonObject().put("name", "plain"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getValue("expiresAt")).isNull();
    JsonObject key = ada.get("/auth/api-keys").json().getJsonArray("keys").getJsonObject(0);
    assertThat(key.getString("privilege")).isEqualTo("demo");
    assertThat(key.getValue("ipv4")).isNull();
  }

  @Test
  void metadataCountsTheUsesOfOneKey() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "full");
    assertThat(gateway.call("/m2m/orders", key.getString("rawApiKey"), null).status()).isEqualTo(200);
    assertThat(gateway.call("/m2m/orders", key.getString("rawApiKey"), null).status()).isEqualTo(200);

    Browser.Response metadata = manage(ada, "metadata", new JsonObject().put("tokenId", key.getString("tokenId")));
    assertThat(metadata.status()).isEqualTo(200);
    assertThat(metadata.json().getString("tokenId")).isEqualTo(key.getString("tokenId"));
    assertThat(metadata.json().getString("privilege")).isEqualTo("full");
    assertThat(metadata.json().getLong("usageCount")).isEqualTo(2);
    assertThat(Instant.parse(metadata.json().getString("lastUsedAt"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(metadata.body()).doesNotContain(key.getString("rawApiKey"));
  }

  @Test
  void revokeEndsTheKeyAtOnce() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    JsonObject tokenId = new JsonObject().put("tokenId", key.getString("tokenId"));
    assertThat(gateway.call("/m2m/x", key.getString("rawApiKey"), null).status()).isEqualTo(200);

    assertThat(manage(ada, "revoke", tokenId).status()).isEqualTo(204);
    assertThat(gateway.call("/m2m/x", key.getString("rawApiKey"), null).status()).isEqualTo(401);
    assertThat(ada.get("/auth/api-keys").json().getJsonArray("keys")).isEmpty();
    assertThat(manage(ada, "metadata", tokenId).status()).isEqualTo(404);
    assertThat(manage(ada, "revoke", tokenId).status()).isEqualTo(404);
  }

  @Test
  void rotateKillsTheOldKeyAndShowsTheNewOneOnce() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    Browser.Response rotated = manage(ada, "rotate", new JsonObject().put("tokenId", key.getString("tokenId")));

    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
    String fresh = rotated.json().getString("rawApiKey");
    assertThat(fresh).isNotEqualTo(key.getString("rawApiKey"));
    assertThat(rotated.json().getString("tokenId")).isEqualTo(key.getString("tokenId"));
    assertThat(gateway.call("/m2m/x", key.getString("rawApiKey"), null).status()).isEqualTo(401);
    assertThat(gateway.call("/m2m/x", fresh, null).status()).isEqualTo(200);
    JsonArray keys = ada.get("/auth/api-keys").json().getJsonArray("keys");
    assertThat(keys).hasSize(1);
    assertThat(keys.getJsonObject(0).getString("rotatedAt")).isNotNull();
    assertThat(keys.encode()).doesNotContain(fresh);
  }

  @Test
  void rotateCanGiveTheKeyANewExpiry() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    Browser.Response rotated = manage(ada, "rotate", new JsonObject().put("tokenId", key.getString("tokenId")).put("expires", "PT1H"));
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(Instant.parse(rotated.json().getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    assertThat(manage(ada, "rotate", new JsonObject().put("tokenId", key.getString("tokenId")).put("expires", "soon"))
        .status()).isEqualTo(400);
  }

  @Test
  void ipRestrictionUpdateSetsAndClearsWhereTheKeyWorks() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    String raw = key.getString("rawApiKey");
    Browser.Response restricted = manage(ada, "ip-restriction-update",
        new JsonObject().put("tokenId", key.getString("tokenId")).put("ipv4", "198.51.100.7"));
    assertThat(restricted.status()).isEqualTo(200);
    assertThat(restricted.json().getString("ipv4")).isEqualTo("198.51.100.7");
    assertThat(gateway.call("/m2m/x", raw, "198.51.100.7").status()).isEqualTo(200);
    assertThat(gateway.call("/m2m/x", raw, "198.51.100.8").status()).isEqualTo(403);

    Browser.Response cleared = manage(ada, "ip-restriction-update", new JsonObject().put("tokenId", key.getString("tokenId")));
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().getValue("ipv4")).isNull();
    assertThat(gateway.call("/m2m/x", raw, "192.0.2.44").status()).isEqualTo(200);

    Browser.Response bad = manage(ada, "ip-restriction-update",
        new JsonObject().put("tokenId", key.getString("tokenId")).put("ipv4", "2001:db8::1"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(errorFields(bad)).containsExactly("ipv4");
  }

  @Test
  void privilegeUpdateMovesTheKeyOnTheLadder() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "demo");
    String raw = key.getString("rawApiKey");
    assertThat(gateway.call("/m2m/x", raw, null).status()).isEqualTo(403);

    Browser.Response raised = manage(ada, "privilege-update",
        new JsonObject().put("tokenId", key.getString("tokenId")).put("privilege", "restricted"));
    assertThat(raised.status()).isEqualTo(200);
    assertThat(raised.json().getString("privilege")).isEqualTo("restricted");
    assertThat(gateway.call("/m2m/x", raw, null).status()).isEqualTo(200);

    for (JsonObject bad : List.of(new JsonObject().put("tokenId", key.getString("tokenId")),
        new JsonObject().put("tokenId", key.getString("tokenId")).put("privilege", "admin"),
        new JsonObject().put("tokenId", key.getString("tokenId")).put("privilege", 5))) {
      Browser.Response refused = manage(ada, "privilege-update", bad);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(errorFields(refused)).containsExactly("privilege");
    }
  }

  @Test
  void anotherUsersTokenIdIsNotFoundForEveryAction() {
    Browser ada = gateway.newUser();
    Browser eve = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    String tokenId = key.getString("tokenId");

    assertThat(eve.get("/auth/api-keys").json().getJsonArray("keys")).isEmpty();
    for (String action : List.of("metadata", "revoke", "rotate", "ip-restriction-update")) {
      assertThat(manage(eve, action, new JsonObject().put("tokenId", tokenId)).status()).as(action).isEqualTo(404);
    }
    assertThat(manage(eve, "privilege-update", new JsonObject().put("tokenId", tokenId).put("privilege", "full")).status())
        .isEqualTo(404);

    assertThat(gateway.call("/m2m/x", key.getString("rawApiKey"), null).status()).isEqualTo(200);
    JsonObject unchanged = manage(ada, "metadata", new JsonObject().put("tokenId", tokenId)).json();
    assertThat(unchanged.getString("privilege")).isEqualTo("restricted");
    assertThat(unchanged.getValue("ipv4")).isNull();
    assertThat(unchanged.getValue("rotatedAt")).isNull();
  }

  @Test
  void badFieldsOfANewKeyAreAll400WithTheirNames() {
    Browser ada = gateway.newUser();
    Browser.Response refused = manage(ada, "new-token", new JsonObject()
        .put("name", " ").put("privilege", "root").put("ipv4", "10.0.0.1/8").put("expires", "2001-01-01T00:00:00Z"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(errorFields(refused)).containsExactly("name", "privilege", "ipv4", "expires");

    Browser.Response wrongTypes = manage(ada, "new-token", new JsonObject().put("name", 42).put("ipv4", List.of("10.0.0.1")));
    assertThat(wrongTypes.status()).isEqualTo(400);
    assertThat(errorFields(wrongTypes)).containsExactly("name", "ipv4");

    Browser.Response noTokenId = manage(ada, "revoke", new JsonObject());
    assertThat(noTokenId.status()).isEqualTo(400);
    assertThat(errorFields(noTokenId)).containsExactly("tokenId");
    assertThat(ada.get("/auth/api-keys").json().getJsonArray("keys")).isEmpty();
  }

  @Test
  void aJsonBodyOver2KbIs413() {
    Browser ada = gateway.newUser();
    String big = new JsonObject().put("name", "x".repeat(2100)).encode();
    Browser.Response refused = ada.post("/auth/api-keys/new-token", big, "X-CSRF-Token", ada.csrf());
    assertThat(refused.status()).isEqualTo(413);
    String justUnder = new JsonObject().put("name", "fits").put("pad", "x".repeat(1900)).encode();
    assertThat(ada.post("/auth/api-keys/new-token", justUnder, "X-CSRF-Token", ada.csrf()).status()).isEqualTo(201);
    assertThat(ada.get("/auth/api-keys").json().getJsonArray("keys")).hasSize(1);
  }

  @Test
  void everyActionNeedsTheCsrfHeader() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "restricted");
    String tokenId = key.getString("tokenId");
    assertThat(ada.post("/auth/api-keys/new-token", new JsonObject().put("name", "sneaky").encode()).status()).isEqualTo(403);
    for (String action : List.of("metadata", "revoke", "rotate", "ip-restriction-update", "privilege-update")) {
      Browser.Response refused = ada.post("/auth/api-keys/" + action,
          new JsonObject().put("tokenId", tokenId).put("privilege", "full").encode(), "X-CSRF-Token", "forged");
      assertThat(refused.status()).as(action).isEqualTo(403);
    }
    assertThat(ada.get("/auth/api-keys").json().getJsonArray("keys")).hasSize(1);
    assertThat(gateway.call("/m2m/x", key.getString("rawApiKey"), null).status()).isEqualTo(200);
  }

  @Test
  void withoutASessionEveryEndpointIs401() {
    Browser stranger = gateway.browser();
    assertThat(stranger.get("/auth/api-keys").status()).isEqualTo(401);
    assertThat(stranger.post("/auth/api-keys/new-token", new JsonObject().put("name", "x").encode()).status()).isEqualTo(401);
    assertThat(stranger.post("/auth/api-keys/revoke", new JsonObject().put("tokenId", "x").encode()).status()).isEqualTo(401);
  }

  @Test
  void actionsArePostOnlyAndTakeJson() {
    Browser ada = gateway.newUser();
    Browser.Response get = ada.get("/auth/api-keys/new-token");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    Browser.Response form = ada.send("POST", "/auth/api-keys/new-token",
        java.net.http.HttpRequest.BodyPublishers.ofString("name=x"), "Content-Type", "application/x-www-form-urlencoded",
        "X-CSRF-Token", ada.csrf());
    assertThat(form.status()).isEqualTo(415);
    assertThat(ada.post("/auth/api-keys/new-token", "[1,2]", "X-CSRF-Token", ada.csrf()).status()).isEqualTo(400);
    assertThat(ada.post("/auth/api-keys/new-token", "", "X-CSRF-Token", ada.csrf()).status()).isEqualTo(400);
    assertThat(ada.post("/auth/api-keys/list-metadata", "{}", "X-CSRF-Token", ada.csrf()).status()).isEqualTo(404);
  }
}
