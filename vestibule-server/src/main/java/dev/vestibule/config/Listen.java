package dev.vestibule.config;

import java.util.Objects;

/** The address the gateway binds to; an IPv6 host is kept without brackets, like {@code ::1}. */
public record Listen(String host, int port) {

  public Listen {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static final Listen DEFAULT = new Listen("127.0.0.1", 8080);
  private static final String HINT = "write host:port like 127.0.0.1:8080, 0.0.0.0:80, \"[::1]:8080\" or :8080";

  /** Parses {@code host:port}, {@code [ipv6]:port}, {@code :port} or a bare port; the host defaults to 127.0.0.1. */
  public static Listen parse(String key, String text) throws ConfigException {
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf("]:");
      if (close < 0) {
        throw new ConfigException(key, "'" + t + "' is not a listen address; " + HINT);
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
      if (!host.matches("[0-9A-Fa-f:.]+") || host.indexOf(':') < 0) {
        throw new ConfigException(key, "'" + t + "' has a bad IPv6 address; " + HINT);
      }
    } else if (t.matches("\\d+")) {
      host = DEFAULT.host();
      port = t;
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        throw new ConfigException(key, "'" + t + "' has no port; " + HINT);
      }
      host = colon == 0 ? DEFAULT.host() : t.substring(0, colon);
      port = t.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new ConfigException(key, "'" + t + "' needs brackets around the IPv6 address; " + HINT);
      }
      if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
        throw new ConfigException(key, "'" + t + "' has a bad host; " + HINT);
      }
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new ConfigException(key, "'" + t + "' has a bad port; use 0 to 65535 (0 picks a free port), " + HINT);
    }
    return new Listen(host, Integer.parseInt(port));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
