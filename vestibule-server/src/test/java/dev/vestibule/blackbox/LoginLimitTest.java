package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2 {@code limits.login: 10/1m  # attempts per client IP and, separately, per account} (the default),
 * §3 "Too many attempts → 429 with Retry-After". Client addresses come from X-Forwarded-For since the test
 * machine is a trusted proxy here ({@code trustedProxies: [127.0.0.1/32]}).
 */
class LoginLimitTest {
  @TempDir static Path folder;
  static Stack stack;
  static final AtomicInteger ips = new AtomicInteger(1);

  @BeforeAll
  static void start() {
    stack = Stack.in(folder).section("trustedProxies: [\"127.0.0.1/32\"]\n").start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static String freshIp() {
    int n = ips.getAndIncrement();
    return "203.0." + (n / 250) + "." + (1 + n % 250);
  }

  private static Http.Answer login(String ip, String email, String password) {
    return stack.browser().postJson("/auth/login", new JsonObject().put("email", email).put("password", password),
        "X-Forwarded-For", ip);
  }

  // "per account": ten wrong passwords from ten addresses, then the account is limited, whatever the address.
  @Test
  void afterTenWrongPasswordsForOneAccountItsLoginsGet429WithRetryAfter() {
    Stack.User user = stack.register("Target");
    for (int i = 0; i < 10; i++) assertProblem(login(freshIp(), user.email(), "wrong password " + i), 401);
    Http.Answer limited = login(freshIp(), user.email(), "wrong password again");
    assertProblem(limited, 429);
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(login(freshIp(), user.email(), user.password()).status()).isEqualTo(429);
    // another account is not affected
    Stack.User other = stack.register("Bystander");
    assertThat(login(freshIp(), other.email(), other.password()).status()).isEqualTo(200);
  }

  // "per client IP": ten refused logins from one address, for different accounts, limit that address only.
  @Test
  void afterTenRefusedLoginsFromOneAddressThatAddressGets429() {
    String ip = freshIp();
    for (int i = 0; i < 10; i++) assertProblem(login(ip, Stack.freshEmail("guess"), "wrong password"), 401);
    Http.Answer limited = login(ip, Stack.freshEmail("guess"), "wrong password");
    assertProblem(limited, 429);
    assertThat(limited.header("Retry-After")).isNotNull();
    assertProblem(login(freshIp(), Stack.freshEmail("guess"), "wrong password"), 401);
  }

  // §2 "trustedProxies: CIDRs whose X-Forwarded-For names the client"; /oauth/token logins are the same logins.
  @Test
  void thePasswordGrantIsLimitedLikeTheLoginEndpoint() {
    Stack.User user = stack.register("Grant");
    for (int i = 0; i < 10; i++) login(freshIp(), user.email(), "wrong password " + i);
    Http.Answer answer = OAuth.password(stack, user.email(), user.password());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(429);
    assertThat(answer.header("Retry-After")).isNotNull();
  }
}
