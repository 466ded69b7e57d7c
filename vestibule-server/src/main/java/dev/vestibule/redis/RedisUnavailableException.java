package dev.vestibule.redis;

/**
 * Redis could not answer in time: the gateway fails closed (503 with Retry-After) rather than forget a logout,
 * a rate limit or a refresh in flight. The message never carries keys or values.
 */
public final class RedisUnavailableException extends RuntimeException {
  public RedisUnavailableException(String message) {
    super(message, null, false, false);
  }
}
