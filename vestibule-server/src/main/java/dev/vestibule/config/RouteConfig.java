package dev.vestibule.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One route. {@code path} is either a prefix pattern ending in {@code /**} or an exact path. Exactly one of
 * {@code upstream} (no trailing slash) and {@code staticDir} (absolute, normalised) is present. Static routes
 * carry relay none, csrf false, dedupe false, no methods and the default body size and timeout.
 * {@code methods} is upper-case; empty means every method.
 */
public record RouteConfig(String path, Optional<URI> upstream, Optional<Path> staticDir, RouteAuth auth, Relay relay,
    boolean csrf, long maxBodyBytes, Duration timeout, boolean dedupe, Set<String> methods) {

  private static final String WILDCARD = "/**";

  public RouteConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(staticDir, "staticDir");
    if (upstream.isPresent() == staticDir.isPresent()) {
      throw new IllegalArgumentException("a route has exactly one of upstream and staticDir");
    }
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(timeout, "timeout");
    methods = Set.copyOf(methods);
  }

  /** True for a pattern ending in {@code /**}, which matches the prefix and everything below it. */
  public boolean isPrefix() {
    return path.endsWith(WILDCARD);
  }

  /** {@code /api/**} gives {@code /api}, {@code /**} gives the empty string, an exact path gives itself. */
  public String prefix() {
    return isPrefix() ? path.substring(0, path.length() - WILDCARD.length()) : path;
  }

  /** Whether a (normalised) request path belongs to this route; {@code /api/**} does not match {@code /apix}. */
  public boolean matches(String requestPath) {
    if (requestPath == null) {
      return false;
    }
    if (!isPrefix()) {
      return path.equals(requestPath);
    }
    String prefix = prefix();
    return prefix.isEmpty() || requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
  }

  public boolean isStatic() {
    return staticDir.isPresent();
  }

  /** Whether this route accepts the given method; an empty {@code methods} set accepts all. */
  public boolean allowsMethod(String method) {
    return methods.isEmpty() || methods.contains(method);
  }
}
