package dev.vestibule.proxy;

import dev.vestibule.config.RouteConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Maps a request target onto a route's upstream, so that it never leaves the upstream's prefix:
 * {@code /api/x/y?q} on a route {@code /api/**} to {@code http://host/v1} becomes {@code /v1/x/y?q}.
 * Dot segments (also percent-encoded) are resolved; whatever would still escape the route, and encoded
 * slashes, backslashes, NUL bytes, path parameters ({@code ;x}, which servlet containers drop, so that
 * {@code ..;x} climbs there) and anything but an origin-form target, is refused.
 */
public final class UpstreamPath {
  private UpstreamPath() {}

  /** Thrown for a target that cannot be forwarded safely; the client gets 400. */
  public static final class UnsafePath extends RuntimeException {
    public UnsafePath(String message) {
      super(message, null, false, false);
    }
  }

  /** The path and query to request from the route's upstream. */
  public static String resolve(RouteConfig route, String basePath, String requestTarget) {
    int query = requestTarget.indexOf('?');
    String rawPath = query < 0 ? requestTarget : requestTarget.substring(0, query);
    String path = normalise(rawPath);
    if (!route.matches(path)) throw new UnsafePath("the path leaves the route " + route.path());
    String rest = path.substring(Math.min(route.prefix().length(), path.length()));
    String upstream = basePath + rest;
    if (upstream.isEmpty()) upstream = "/";
    return query < 0 ? upstream : upstream + requestTarget.substring(query);
  }

  /** The request path with dot segments resolved and repeated slashes folded; refuses what is unsafe. */
  public static String normalise(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') throw new UnsafePath("only origin-form request targets are accepted");
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (rawPath.indexOf('\\') >= 0 || lower.contains("%5c")) throw new UnsafePath("backslashes are not allowed in paths");
    if (lower.contains("%2f")) throw new UnsafePath("encoded slashes are not allowed in paths");
    if (lower.contains("%00")) throw new UnsafePath("NUL bytes are not allowed in paths");
    // The router matches "/api/admin;x/y" against "/api/**", a servlet upstream reads "/api/admin/y": a narrower
    // route's guard would be skipped. Path parameters are refused, as Spring Security's strict firewall does.
    if (rawPath.indexOf(';') >= 0 || lower.contains("%3b")) throw new UnsafePath("semicolons are not allowed in paths");
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c < 0x21 || c == 0x7f) throw new UnsafePath("control characters and spaces are not allowed in paths");
    }
    boolean trailingSlash = rawPath.length() > 1 && rawPath.endsWith("/");
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : rawPath.split("/")) {
      String decoded = segment.replace("%2e", ".").replace("%2E", ".");
      if (decoded.isEmpty() || decoded.equals(".")) continue;
      if (decoded.equals("..")) {
        if (segments.isEmpty()) throw new UnsafePath("the path climbs above the root");
        segments.removeLast();
        continue;
      }
      segments.addLast(segment);
    }
    StringBuilder out = new StringBuilder();
    for (String segment : segments) out.append('/').append(segment);
    if (out.isEmpty()) return "/";
    if (trailingSlash) out.append('/');
    return out.toString();
  }
}
