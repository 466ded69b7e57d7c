package dev.vestibule.config;

import java.net.URI;
import java.util.regex.Pattern;

/** The parts of the {@code redis:} URL Vestibule reads itself: the key prefix in {@code ?prefix=name}. */
public final class RedisUrl {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private RedisUrl() {}

  /** {@code vestibule} unless the URL names another, so separate clusters can share one Redis. */
  public static String prefix(URI url) throws ConfigException {
    String query = url.getRawQuery();
    if (query == null || query.isEmpty()) return "vestibule";
    if (!query.startsWith("prefix=") || query.contains("&") || !PREFIX.matcher(query.substring(7)).matches()) {
      throw new ConfigException("redis", "the only query the redis: URL takes is ?prefix=name (1-64 letters, digits,"
          + " _ . -), to keep separate clusters apart in one Redis");
    }
    return query.substring(7);
  }

  /** The URL as the Redis client takes it, without Vestibule's query. */
  public static String connectionString(URI url) {
    String text = url.toString();
    int q = text.indexOf('?');
    return q < 0 ? text : text.substring(0, q);
  }
}
