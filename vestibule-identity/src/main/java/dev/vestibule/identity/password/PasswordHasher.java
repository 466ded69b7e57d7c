package dev.vestibule.identity.password;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.vestibule.identity.secret.Secrets;
import dev.vestibule.token.ProviderUnavailableException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hashes passwords with Argon2id and verifies Argon2id and bcrypt hashes, on a bounded pool of its own so that a
 * burst of logins queues here instead of taking every thread of the caller. Each call blocks until its hash is done.
 *
 * <p>When all threads are busy and the queue is full, a call fails at once with {@link ProviderUnavailableException}
 * (cause: {@link RejectedExecutionException}); answer 503 with Retry-After.
 */
public final class PasswordHasher implements AutoCloseable {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Params params;
  private final Argon2Function argon2;
  private final ThreadPoolExecutor pool;
  private final AtomicLong verifications = new AtomicLong();
  private final String dummyHash;

  public PasswordHasher(Argon2Params params, HashingPool limits) {
    this.params = params;
    this.argon2 = Argon2Function.getInstance(params.memoryKiB(), params.iterations(), params.parallelism(), HASH_BYTES,
        Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    this.pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.MILLISECONDS,
        limits.queueCapacity() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.queueCapacity()),
        daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
    // What an unknown account's password is checked against, so that its answer costs the same as a known one's.
    this.dummyHash = argon2Hash(Secrets.newToken());
  }

  public Argon2Params params() {
    return params;
  }

  /** A new Argon2id hash of {@code password}, in PHC string format. */
  public String hash(CharSequence password) {
    return run(() -> argon2Hash(password));
  }

  /**
   * Checks {@code password} against a stored Argon2id or bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) hash.
   * A hash of any other kind never matches, but costs the same.
   */
  public Verification verify(CharSequence password, String storedHash) {
    CharSequence candidate = password == null ? "" : password;
    return run(() -> {
      verifications.incrementAndGet();
      try {
        return switch (HashKind.of(storedHash)) {
          case ARGON2ID -> {
            Argon2Function stored = Argon2Function.getInstanceFromHash(storedHash);
            yield new Verification(Password.check(candidate, storedHash).with(stored), !stored.equals(argon2));
          }
          case BCRYPT -> new Verification(
              Password.check(candidate, storedHash).with(BcryptFunction.getInstanceFromHash(storedHash)), true);
          case UNKNOWN -> noMatch(candidate);
        };
      } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
        return noMatch(candidate);
      }
    });
  }

  private Verification noMatch(CharSequence candidate) {
    Password.check(candidate, dummyHash).with(argon2);
    return new Verification(false, false);
  }

  /** Spends one verification on nothing: what {@link #verify} costs, for an account that does not exist. */
  public void verifyDummy(CharSequence password) {
    verify(password, dummyHash);
  }

  /** Verifications done so far, dummy ones included. */
  public long verifications() {
    return verifications.get();
  }

  /** Hashes being computed now. */
  public int active() {
    return pool.getActiveCount();
  }

  /**
   * Whether a hash asked for now would be refused: every thread busy and the queue full. A hint, checked before
   * any other work of a login so that a flood is turned away cheaply; the pool itself still has the last word.
   */
  public boolean saturated() {
    return pool.getActiveCount() >= pool.getMaximumPoolSize() && pool.getQueue().remainingCapacity() == 0;
  }

  /** Hashes waiting for a thread now. */
  public int queued() {
    return pool.getQueue().size();
  }

  private String argon2Hash(CharSequence password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult();
  }

  private <T> T run(Callable<T> task) {
    Future<T> future;
    try {
      future = pool.submit(task);
    } catch (RejectedExecutionException e) {
      throw new ProviderUnavailableException("password hashing is at capacity; try again shortly", e);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException("interrupted while waiting for a password hash", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "vestibule-password-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    pool.shutdown();
  }

  /**
   * @param needsRehash the hash is bcrypt or weaker Argon2id than now configured: store a new one while the
   *     password is at hand
   */
  public record Verification(boolean matches, boolean needsRehash) {}

  private enum HashKind {
    ARGON2ID, BCRYPT, UNKNOWN;

    static HashKind of(String hash) {
      if (hash == null) return UNKNOWN;
      if (hash.startsWith("$argon2id$")) return ARGON2ID;
      if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) return BCRYPT;
      return UNKNOWN;
    }
  }
}
