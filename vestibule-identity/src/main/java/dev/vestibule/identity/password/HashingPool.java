package dev.vestibule.identity.password;

/**
 * How much password hashing may run at once.
 *
 * @param threads hashes computed in parallel (each holds {@link Argon2Params#memoryKiB()} of memory)
 * @param queueCapacity hashes that may wait for a thread; one more is refused at once
 */
public record HashingPool(int threads, int queueCapacity) {
  public HashingPool {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    if (queueCapacity < 0) throw new IllegalArgumentException("queueCapacity must not be negative");
  }

  /** One thread per core, and a queue that a core works off in about two seconds at OWASP cost. */
  public static HashingPool defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new HashingPool(cores, 16 * cores);
  }
}
