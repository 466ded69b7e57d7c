package dev.vestibule.builtin;

import static dev.vestibule.builtin.KeyedGateway.manage;
import static dev.vestibule.builtin.KeyedGateway.newKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes with {@code auth: apiKey:<privilege>}: who gets through, and what the upstream sees (SPEC §7). */
class ApiKeyRoutesTest {
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

  @Test
  void aRestrictedRouteTakesRestrictedProtectedAndFullKeysButNotDemo() {
    Browser ada = gateway.newUser();
    assertThat(gateway.call("/m2m/orders", newKey(ada, "demo").getString("rawApiKey"), null).status()).isEqualTo(403);
    assertThat(gateway.call("/m2m/orders", newKey(ada, "custom").getString("rawApiKey"), null).status()).isEqualTo(403);
    for (String enough : List.of("restricted", "protected", "full")) {
      Browser.Response answer = gateway.call("/m2m/orders", newKey(ada, enough).getString("rawApiKey"), null);
      assertThat(answer.status()).as(enough).isEqualTo(200);
    }
    Browser.Response demo = gateway.call("/m2m/orders", newKey(ada, "demo").getString("rawApiKey"), null);
    assertThat(demo.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(demo.json().getString("requiredPrivilege")).isEqualTo("restricted");
    assertThat(gateway.call("/any-key/orders", newKey(ada, "custom").getString("rawApiKey"), null).status()).isEqualTo(200);
  }

  @Test
  void theUpstreamSeesWhichKeyAndWhoseButNeverTheKey() {
    Browser ada = gateway.newUser();
    JsonObject key = newKey(ada, "full");
    Browser.Response answer = gateway.browser().get("/m2m/orders?page=2", "X-API-KEY", key.getString("rawApiKey"),
        "X-Vestibule-User", "someone-else", "X-Vestibule-Key-Id", "forged");

    assertThat(answer.status()).isEqualTo(200);
    JsonObject seen = gateway.upstream.last();
    assertThat(seen.getString("uri")).isEqualTo("/v1/orders?page=2");
    JsonObject headers = seen.getJsonObject("headers");
    assertThat(headers.getJsonArray("x-vestibule-key-id")).containsExactly(key.getString("tokenId"));
    assertThat(headers.getJsonArray("x-vestibule-user")).containsExactly(KeyedGateway.userId(ada));
    assertThat(headers.containsKey("x-api-key")).isFalse();
    assertThat(headers.containsKey("authorization")).isFalse();
    assertThat(seen.encode()).doesNotContain(key.getString("rawApiKey"));
  }

  @Test
  void aSessionCookieDoesNotOpenAnApiKeyRoute() {
    Browser ada = gateway.newUser();
    Browser.Response answer = ada.get("/m2m/orders");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.header("WWW-Authenticate")).contains("X-API-KEY");
    assertThat(gateway.upstream.received).isEmpty();
  }

  @Test
  void missingGarbageRevokedAndExpiredKeysAre401() {
    Browser ada = gateway.newUser();
    JsonObject revoked = newKey(ada, "full");
    manage(ada, "revoke", new JsonObject().put("tokenId", revoked.getString("tokenId")));
    JsonObject expiring = manage(ada, "new-token", new JsonObject().put("name", "short").put("privilege", "full")
        .put("expires", "PT1H")).json();
    assertThat(gateway.call("/m2m/x", expiring.getString("rawApiKey"), "192.0.2.10").status()).isEqualTo(200);
    gateway.clock.advance(Duration.ofHours(1));

    // Each from an address of its own, so the failure limit stays out of the way.
    assertThat(gateway.call("/m2m/x", null, "192.0.2.1").status()).isEqualTo(401);
    assertThat(gateway.call("/m2m/x", "garbage", "192.0.2.2").status()).isEqualTo(401);
    assertThat(gateway.call("/m2m/x", "vst_AAAAAAAAAAAA_" + "A".repeat(43), "192.0.2.3").status()).isEqualTo(401);
    assertThat(gateway.call("/m2m/x", revoked.getString("rawApiKey"), "192.0.2.4").status()).isEqualTo(401);
    Browser.Response expired = gateway.call("/m2m/x", expiring.getString("rawApiKey"), "192.0.2.5");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(gateway.upstream.received).hasSize(1);
  }

  @Test
  void anIpRestrictedKeyWorksOnlyFromItsNetworkAsNamedByATrustedProxy() {
    Browser ada = gateway.newUser();
    String raw = manage(ada, "new-token", new JsonObject().put("name", "office").put("privilege", "full")
        .put("ipv4", "203.0.113.0/24")).json().getString("rawApiKey");

    assertThat(gateway.call("/m2m/x", raw, "203.0.113.5").status()).isEqualTo(200);
    assertThat(gateway.call("/m2m/x", raw, "198.51.100.1, 203.0.113.77").status()).isEqualTo(200);
    Browser.Response elsewhere = gateway.call("/m2m/x", raw, "198.51.100.7");
    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(elsewhere.json().getString("type")).endsWith("api-key-address");
    // Without X-Forwarded-For the client is the proxy itself, 127.0.0.1.
    assertThat(gateway.call("/m2m/x", raw, null).status()).isEqualTo(403);
    assertThat(gateway.upstream.received).hasSize(2);
  }

  @Test
  void repeatedFailuresFromAnAddressGet429WhileAValidKeyStillWorks() {
    Browser ada = gateway.newUser();
    String valid = newKey(ada, "full").getString("rawApiKey");
    String attacker = "192.0.2.66";
    for (int i = 0; i < KeyedGateway.FAILURES_PER_ADDRESS; i++) {
      assertThat(gateway.call("/m2m/x", "vst_guess" + i, attacker).status()).isEqualTo(401);
    }

    Browser.Response limited = gateway.call("/m2m/x", "vst_guess-again", attacker);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 900L);
    assertThat(gateway.call("/m2m/x", null, attacker).status()).isEqualTo(429);

    assertThat(gateway.call("/m2m/x", valid, attacker).status()).isEqualTo(200);
    assertThat(gateway.call("/m2m/x", "vst_guess4", "192.0.2.67").status()).isEqualTo(401);
    gateway.clock.advance(Duration.ofMinutes(15));
    assertThat(gateway.call("/m2m/x", "vst_guess5", attacker).status()).isEqualTo(401);
  }

  @Test
  void aRealKeyRefusedForItsPrivilegeOrAddressIsNeverLimited() {
    Browser ada = gateway.newUser();
    String demo = newKey(ada, "demo").getString("rawApiKey");
    String fenced = manage(ada, "new-token", new JsonObject().put("name", "fenced").put("privilege", "full")
        .put("ipv4", "198.51.100.0/24")).json().getString("rawApiKey");
    for (int i = 0; i < KeyedGateway.FAILURES_PER_ADDRESS + 5; i++) {
      assertThat(gateway.call("/m2m/x", demo, "192.0.2.10").status()).isEqualTo(403);
      assertThat(gateway.call("/m2m/x", fenced, "192.0.2.10").status()).isEqualTo(403);
    }
    assertThat(gateway.call("/m2m/x", "vst_guess", "192.0.2.10").status()).isEqualTo(401);
  }

  @Test
  void successfulRequestsAreNeverLimited() {
    Browser ada = gateway.newUser();
    String valid = newKey(ada, "restricted").getString("rawApiKey");
    for (int i = 0; i < 12; i++) assertThat(gateway.call("/m2m/x", valid, "192.0.2.9").status()).isEqualTo(200);
    JsonObject listed = ada.get("/auth/api-keys").json().getJsonArray("keys").getJsonObject(0);
    assertThat(listed.getLong("usageCount")).isEqualTo(12);
  }
}
