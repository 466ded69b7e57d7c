package dev.vestibule.builtin;

import static dev.vestibule.builtin.BuiltinIdentityContract.assertOAuthError;
import static dev.vestibule.builtin.BuiltinIdentityContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Browser;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits.register} and {@code limits.login} of the built-in identity: 429 with Retry-After (SPEC §3, §6). */
class RateLimitsTest {
  @TempDir Path folder;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = new BuiltinYaml(TestDatabase.sqlite(folder).url())
        .limits("{login: 3/1m, register: 2/1m, codes: 100/1m}")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void registrationsBeyondTheLimitAre429WithRetryAfter() {
    assertThat(Users.register(browser(), "Ann", Users.freshEmail("ann"), Users.PASSWORD).status()).isEqualTo(201);
    assertThat(Users.register(browser(), "Ben", "not-an-email", Users.PASSWORD).status()).isEqualTo(400);

    Browser.Response third = Users.register(browser(), "Cid", Users.freshEmail("cid"), Users.PASSWORD);

    assertProblem(third, 429);
    assertThat(third.setCookie("vestibule")).isNull();
    assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 60L);
  }

  @Test
  void loginsBeyondTheLimitPerAccountAre429EvenWithTheRightPassword() {
    String email = Users.freshEmail("dee");
    Users.register(browser(), "Dee", email, Users.PASSWORD);
    assertThat(browser().post("/auth/login", Users.credentials(email, "wrong-password-1")).status()).isEqualTo(401);
    assertThat(browser().post("/auth/login", Users.credentials(email.toUpperCase(), "wrong-password-2")).status()).isEqualTo(401);
    assertThat(browser().post("/auth/login", Users.credentials(email, "wrong-password-3")).status()).isEqualTo(401);

    Browser.Response fourth = browser().post("/auth/login", Users.credentials(email, Users.PASSWORD));

    assertProblem(fourth, 429);
    assertThat(Long.parseLong(fourth.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(fourth.setCookie("vestibule")).isNull();
  }

  @Test
  void thePasswordGrantCountsAgainstTheSameLoginLimit() {
    String email = Users.freshEmail("eli");
    Users.register(browser(), "Eli", email, Users.PASSWORD);
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    for (int i = 0; i < 3; i++) assertOAuthError(oauth.password(email, "wrong-password-" + i), 400, "invalid_grant");

    Browser.Response fourth = oauth.password(email, Users.PASSWORD);

    // SPEC §3: the /oauth/* endpoints answer errors as RFC 6749 does, a rate limit included.
    assertOAuthError(fourth, 429, "temporarily_unavailable");
    assertThat(Long.parseLong(fourth.header("Retry-After"))).isBetween(1L, 60L);
  }

  @Test
  void anotherGatewayLoggingInManyUsersFromOneAddressIsNotLimitedPerIpButEachAccountIs() {
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    String ann = Users.freshEmail("ann");
    String ben = Users.freshEmail("ben");
    Users.register(browser(), "Ann", ann, Users.PASSWORD);
    Users.register(browser(), "Ben", ben, Users.PASSWORD);
    // Wrong passwords from one address, over the per-IP limit (3/1m): gw2 proves itself with its secret.
    for (int i = 0; i < 3; i++) assertOAuthError(oauth.password(ann, "wrong-password-" + i), 400, "invalid_grant");
    assertOAuthError(oauth.password(ben, "wrong-password"), 400, "invalid_grant");
    assertThat(oauth.password(ben, Users.PASSWORD).status()).isEqualTo(200);
    assertOAuthError(oauth.password(ann, Users.PASSWORD), 429, "temporarily_unavailable");
    // The gateway's own login is a public client and keeps its per-IP limit.
    for (int i = 0; i < 3; i++) {
      assertThat(browser().post("/auth/login", Users.credentials(Users.freshEmail("nobody"), "wrong-password")).status())
          .isEqualTo(401);
    }
    assertProblem(browser().post("/auth/login", Users.credentials(ben, Users.PASSWORD)), 429);
  }

  @Test
  void unicodeSpacesAroundTheAddressDoNotBuyAnotherBudget() {
    String email = Users.freshEmail("gus");
    Users.register(browser(), "Gus", email, Users.PASSWORD);
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    // The confidential client has no per-IP limit: only the per-account one stands between a guesser and the account.
    for (String spelling : new String[] {email + "\u3000", "\u2000" + email, "\u2003" + email.toUpperCase() + " "}) {
      assertOAuthError(oauth.password(spelling, "wrong-password"), 400, "invalid_grant");
    }

    assertOAuthError(oauth.password(email, Users.PASSWORD), 429, "temporarily_unavailable");
  }

  @Test
  void aBurstOfConcurrentGuessesGetsNoMoreTriesThanTheLimit() throws Exception {
    String email = Users.freshEmail("hal");
    Users.register(browser(), "Hal", email, Users.PASSWORD);
    ExecutorService burst = Executors.newFixedThreadPool(8);
    try {
      List<Future<Browser.Response>> guesses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String guess = "wrong-password-" + i;
        guesses.add(burst.submit(() -> browser().post("/auth/login", Users.credentials(email, guess))));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Browser.Response> guess : guesses) statuses.add(guess.get().status());
      assertThat(statuses).filteredOn(status -> status == 401).hasSize(3);
      assertThat(statuses).filteredOn(status -> status == 429).hasSize(5);
    } finally {
      burst.shutdownNow();
    }
  }

  @Test
  void manyUsersBehindOneAddressLogInTogether(@TempDir Path otherFolder) throws Exception {
    try (TestGateway officeGateway = new BuiltinYaml(TestDatabase.sqlite(otherFolder).url())
        .limits("{login: 3/1m, register: 100/1m, codes: 100/1m}").start()) {
      List<String> emails = new ArrayList<>();
      // One more than the limit, and within the password-hashing pool of a 2-core machine (beyond it: 503).
      for (int i = 0; i < 4; i++) {
        String email = Users.freshEmail("office" + i);
        assertThat(Users.register(new Browser(officeGateway.url("")), "Office " + i, email, Users.PASSWORD).status())
            .isEqualTo(201);
        emails.add(email);
      }
      ExecutorService office = Executors.newFixedThreadPool(4);
      try {
        List<Future<Browser.Response>> logins = new ArrayList<>();
        for (String email : emails) {
          logins.add(office.submit(() ->
              new Browser(officeGateway.url("")).post("/auth/login", Users.credentials(email, Users.PASSWORD))));
        }
        for (Future<Browser.Response> login : logins) assertThat(login.get().status()).isEqualTo(200);
      } finally {
        office.shutdownNow();
      }
    }
  }

  @Test
  void rightPasswordsDoNotUseUpTheLimit() {
    String email = Users.freshEmail("fay");
    Users.register(browser(), "Fay", email, Users.PASSWORD);
    OAuthCalls oauth = new OAuthCalls(gateway.url(""));
    String publicGrant = OAuthCalls.form("grant_type", "password", "client_id", BuiltinYaml.WEB, "username", email,
        "password", Users.PASSWORD);
    for (int i = 0; i < 5; i++) {
      assertThat(browser().post("/auth/login", Users.credentials(email, Users.PASSWORD)).status()).isEqualTo(200);
      assertThat(oauth.token(publicGrant).status()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(browser().post("/auth/login", Users.credentials(email, "wrong-password-" + i)).status()).isEqualTo(401);
    }
    assertProblem(browser().post("/auth/login", Users.credentials(email, Users.PASSWORD)), 429);
  }

  private Browser browser() {
    return new Browser(gateway.url(""));
  }
}
