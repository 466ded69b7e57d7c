package dev.vestibule.identity.password;

/**
 * How much password hashing may run at once. A caller blocks while its hash waits and runs, so at most
 * {@code threads + queueCapacity} callers are ever held; beyond that a call is refused at once.
 *
 * @param threads hashes computed in parallel (each holds {@link Argon2Params#memoryKiB()} of memory and a core)
 * @param queueCapacity hashes that may wait for a thread
 */
public record HashingPool(int threads, int queueCapacity) {
  public HashingPool {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    if (queueCapacity < 0) throw new IllegalArgumentException("queueCapacity must not be negative");
  }

  /**
   * Half the cores (at least one), so that a burst of logins leaves the other half to proxying, and a queue of
   * four hashes per thread: at OWASP cost (about 150 ms a hash) a queued login waits under a second.
   */
  public static HashingPool defaults() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new HashingPool(threads, 4 * threads);
  }
}
