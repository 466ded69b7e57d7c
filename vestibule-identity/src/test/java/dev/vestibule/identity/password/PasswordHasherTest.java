package dev.vestibule.identity.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.token.ProviderUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
  private static final Argon2Params CHEAP = new Argon2Params(4096, 1, 1);
  // Made by another stack (libxcrypt's bcrypt, as PHP, Rails or Python would) for "imported from rails".
  private static final String[] FOREIGN_BCRYPT = {
      "$2a$10$2noD.44LIuL1jCWq5c98uOeD7qIaC6twSmPNfIybZhi9xQcPOdkSG",
      "$2b$10$871SmFCfFor3EZQdpk6WRO85H4hzV15dYecfi2FMNZKHJ3hH4Pbn6",
      "$2y$10$lhbJMbnOQh2msRSAVc.pmuT6lYxxOyfvTdxegQ20dBs10nOFuBBNW"};

  private final PasswordHasher hasher = new PasswordHasher(CHEAP, new HashingPool(2, 8));

  @AfterEach
  void close() {
    hasher.close();
  }

  @Test
  void hashesWithArgon2idInPhcFormatWithTheConfiguredCostAndARandomSalt() {
    String first = hasher.hash("a long enough password");
    assertThat(first).startsWith("$argon2id$v=19$m=4096,t=1,p=1$");
    assertThat(hasher.hash("a long enough password")).isNotEqualTo(first);
  }

  @Test
  void verifiesTheRightPasswordOnly() {
    String hash = hasher.hash("a long enough password");
    assertThat(hasher.verify("a long enough password", hash)).isEqualTo(new PasswordHasher.Verification(true, false));
    assertThat(hasher.verify("a long enough passwore", hash).matches()).isFalse();
    assertThat(hasher.verify(null, hash).matches()).isFalse();
  }

  @Test
  void theDefaultCostIsOwaspsRecommendation() {
    assertThat(Argon2Params.OWASP).isEqualTo(new Argon2Params(19_456, 2, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void bcryptHashesFromOtherStacksVerifyAndAskForARehash(int which) {
    String hash = FOREIGN_BCRYPT[which];
    assertThat(hasher.verify("imported from rails", hash)).isEqualTo(new PasswordHasher.Verification(true, true));
    assertThat(hasher.verify("imported from django", hash).matches()).isFalse();
  }

  @Test
  void anArgon2idHashOfAnotherCostVerifiesAndAsksForARehash() {
    String weaker;
    try (PasswordHasher other = new PasswordHasher(new Argon2Params(1024, 1, 1), new HashingPool(1, 1))) {
      weaker = other.hash("a long enough password");
    }
    assertThat(hasher.verify("a long enough password", weaker)).isEqualTo(new PasswordHasher.Verification(true, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain text", "$1$md5crypt$abc", "$argon2id$v=19$garbage", "$2b$10$short"})
  void unknownOrMalformedHashesNeverMatchButStillCostAVerification(String stored) {
    long before = hasher.verifications();
    assertThat(hasher.verify("plain text", stored).matches()).isFalse();
    assertThat(hasher.verifications()).isEqualTo(before + 1);
  }

  @Test
  void aDummyVerificationCountsLikeARealOne() {
    long before = hasher.verifications();
    hasher.verifyDummy("whatever was typed");
    hasher.verifyDummy(null);
    assertThat(hasher.verifications()).isEqualTo(before + 2);
  }

  @Test
  void whenEveryThreadIsBusyAndTheQueueIsFullTheNextHashIsRefusedAtOnce() throws Exception {
    // Slow enough that the first hash is still running while the pool fills up.
    try (PasswordHasher slow = new PasswordHasher(new Argon2Params(16_384, 4, 1), new HashingPool(1, 1))) {
      ExecutorService callers = Executors.newFixedThreadPool(2);
      try {
        assertThat(slow.saturated()).isFalse();
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> slow.hash("first password!"), callers);
        waitUntil(() -> slow.active() == 1);
        assertThat(slow.saturated()).as("a queue place is left").isFalse();
        CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> slow.hash("second password"), callers);
        waitUntil(() -> slow.queued() == 1);

        assertThat(slow.saturated()).isTrue();
        assertThatThrownBy(() -> slow.hash("third password!"))
            .isInstanceOf(ProviderUnavailableException.class)
            .hasMessageContaining("at capacity")
            .hasCauseInstanceOf(RejectedExecutionException.class);

        assertThat(running.get()).startsWith("$argon2id$");
        assertThat(queued.get()).startsWith("$argon2id$");
        assertThat(slow.saturated()).isFalse();
        assertThat(slow.hash("fourth password")).startsWith("$argon2id$");
      } finally {
        callers.shutdownNow();
      }
    }
  }

  @Test
  void neverRunsMoreHashesAtOnceThanItHasThreads() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (PasswordHasher pool = new PasswordHasher(new Argon2Params(8192, 2, 1), new HashingPool(2, 100))) {
      int[] mostActive = {0};
      CompletableFuture<?>[] calls = new CompletableFuture<?>[16];
      for (int i = 0; i < calls.length; i++) calls[i] = CompletableFuture.runAsync(() -> pool.hash("some password!"), callers);
      while (!CompletableFuture.allOf(calls).isDone()) {
        mostActive[0] = Math.max(mostActive[0], pool.active());
        Thread.sleep(1);
      }
      CompletableFuture.allOf(calls).get();
      assertThat(mostActive[0]).isBetween(1, 2);
    } finally {
      callers.shutdownNow();
    }
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 10 s");
      Thread.sleep(1);
    }
  }
}
