package dev.vestibule.identity.password;

/**
 * Cost of an Argon2id hash.
 *
 * @param memoryKiB memory per hash, in KiB
 * @param iterations passes over that memory
 * @param parallelism lanes
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /** OWASP's recommendation (Password Storage Cheat Sheet): 19 MiB, 2 iterations, 1 lane. */
  public static final Argon2Params OWASP = new Argon2Params(19_456, 2, 1);

  public Argon2Params {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1");
    if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1");
    if (memoryKiB < 8 * parallelism) throw new IllegalArgumentException("memoryKiB must be at least 8 x parallelism");
  }
}
