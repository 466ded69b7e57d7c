package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.Browser;
import dev.vestibule.testing.TestGateway;
import dev.vestibule.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two gateways with the built-in identity on one PostgreSQL and one Redis count their limits together (SPEC §6). */
class BuiltinClusterTest {
  private static final Pattern CODE = Pattern.compile("\\b([0-9]{7})\\b");

  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private TestDatabase database;
  private TestGateway a;
  private TestGateway b;

  @BeforeEach
  void start() {
    String redis = TestRedis.cluster();
    database = TestDatabase.postgres();
    a = instance(redis);
    b = instance(redis);
  }

  private TestGateway instance(String redis) {
    return new BuiltinYaml(database.url()).limits("{login: 1000/1m, register: 2/1m, codes: 3/15m}")
        .smtp(smtp.getSmtp().getPort()).section("redis: " + redis).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (b != null) b.close();
    if (a != null) a.close();
    if (database != null) database.close();
  }

  @Test
  void registrationsCountOnEveryInstance() {
    assertThat(Users.register(new Browser(a.url("")), "Ann", Users.freshEmail("ann"), Users.PASSWORD).status()).isEqualTo(201);
    assertThat(Users.register(new Browser(b.url("")), "Ben", Users.freshEmail("ben"), Users.PASSWORD).status()).isEqualTo(201);

    Browser.Response third = Users.register(new Browser(a.url("")), "Cid", Users.freshEmail("cid"), Users.PASSWORD);

    assertProblem(third, 429);
    assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 60L);
  }

  @Test
  void wrongMfaCodesCountOnEveryInstance() throws Exception {
    Browser onA = new Browser(a.url(""));
    String email = Users.freshEmail("mia");
    assertThat(Users.register(onA, "Mia", email, Users.PASSWORD).status()).isEqualTo(201);
    assertThat(onA.post("/auth/mfa", "{\"enabled\":true}", "X-CSRF-Token", onA.csrf()).status()).isEqualTo(200);
    Browser login = new Browser(a.url(""));
    assertThat(login.post("/auth/login", Users.credentials(email, Users.PASSWORD)).status()).isEqualTo(202);
    String wrong = Mailbox.newest(smtp, email, CODE).equals("0000000") ? "0000001" : "0000000";

    for (TestGateway on : new TestGateway[] {a, b, a}) {
      assertThat(login.copy(on.url("")).post("/auth/mfa/verify", new JsonObject().put("code", wrong).encode()).status())
          .isEqualTo(401);
    }
    Browser.Response fourth = login.copy(b.url("")).post("/auth/mfa/verify", new JsonObject().put("code", wrong).encode());

    assertProblem(fourth, 429);
  }
}
