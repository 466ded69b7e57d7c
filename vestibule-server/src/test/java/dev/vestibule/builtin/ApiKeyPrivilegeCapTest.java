package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static dev.vestibule.builtin.KeyedGateway.manage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code identity.apiKeyMaxPrivilege}: users may give their keys at most that privilege. */
class ApiKeyPrivilegeCapTest {
  @TempDir Path folder;

  @Test
  void keysAboveTheCapAreRefusedWhetherNewOrRaised() {
    try (TestGateway gateway = new BuiltinYaml(TestDatabase.sqlite(folder).url())
        .identity("apiKeyMaxPrivilege: restricted").start()) {
      Browser ada = new Browser(gateway.url(""));
      assertThat(Users.register(ada, "Ada", Users.freshEmail("ada"), Users.PASSWORD).status()).isEqualTo(201);

      for (String privilege : new String[] {"protected", "full"}) {
        Browser.Response refused = manage(ada, "new-token", new JsonObject().put("name", "ci").put("privilege", privilege));
        assertProblem(refused, 403);
        assertThat(refused.json().getString("maxPrivilege")).isEqualTo("restricted");
      }
      assertThat(ada.get("/auth/api-keys").json().getJsonArray("keys")).isEmpty();

      Browser.Response atTheCap = manage(ada, "new-token", new JsonObject().put("name", "ci").put("privilege", "restricted"));
      assertThat(atTheCap.status()).isEqualTo(201);
      String tokenId = atTheCap.json().getString("tokenId");
      assertThat(manage(ada, "new-token", new JsonObject().put("name", "default")).status()).isEqualTo(201);

      assertProblem(manage(ada, "privilege-update", new JsonObject().put("tokenId", tokenId).put("privilege", "full")), 403);
      assertThat(manage(ada, "metadata", new JsonObject().put("tokenId", tokenId)).json().getString("privilege"))
          .isEqualTo("restricted");
      assertThat(manage(ada, "privilege-update", new JsonObject().put("tokenId", tokenId).put("privilege", "custom"))
          .status()).isEqualTo(200);
    }
  }
}
