package dev.vestibule.config;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code routes:}, a list of upstream (proxied) and static routes. */
final class RouteSection {

  static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> KEYS = List.of("path", "upstream", "static", "auth", "relay", "csrf",
      "maxBodyBytes", "timeout", "dedupe", "methods");
  private static final List<String> STATIC_KEYS = List.of("path", "static", "auth");
  private static final String AUTH_FORMS = "required, optional, none or apiKey:<privilege>";

  private RouteSection() {
  }

  static List<RouteConfig> readAll(Value routes, IdentityType identityType) throws ConfigException {
    List<RouteConfig> out = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Value item : routes.list().orElse(List.of())) {
      Section s = item.section().orElseThrow(() -> new ConfigException(item.key(),
          "is empty; write a route like {path: /api/**, upstream: http://127.0.0.1:9001}"));
      RouteConfig route = read(s, identityType);
      String earlier = seen.putIfAbsent(route.path(), s.path());
      if (earlier != null) {
        throw new ConfigException(s.key("path"), "'" + route.path() + "' is already used by " + earlier
            + "; merge the two routes or change one path");
      }
      out.add(route);
    }
    return out;
  }

  private static RouteConfig read(Section s, IdentityType identityType) throws ConfigException {
    s.allowOnly(KEYS);
    Value pathValue = s.get("path");
    String path = path(pathValue.key(), pathValue.required("write the path it serves, like /api/** or /health"));

    Optional<String> upstreamText = s.get("upstream").text();
    Optional<String> staticText = s.get("static").text();
    if (upstreamText.isPresent() && staticText.isPresent()) {
      throw new ConfigException(s.path(), "has both upstream and static; keep one (a route either proxies or serves files)");
    }
    if (upstreamText.isEmpty() && staticText.isEmpty()) {
      throw new ConfigException(s.path(), "needs upstream (a URL to proxy to) or static (a directory to serve)");
    }
    boolean isStatic = staticText.isPresent();
    if (isStatic) {
      for (String name : s.keys()) {
        if (!STATIC_KEYS.contains(name)) {
          throw new ConfigException(s.key(name), "not used by static routes; remove it (a static route takes only "
              + String.join(", ", STATIC_KEYS) + ")");
        }
      }
    }

    Optional<String> authText = s.get("auth").text();
    RouteAuth auth = authText.isPresent()
        ? auth(s.key("auth"), authText.get(), identityType)
        : RouteAuth.of(isStatic ? RouteAuthMode.NONE : RouteAuthMode.REQUIRED);

    if (isStatic) {
      return new RouteConfig(path, Optional.empty(), Optional.of(staticDir(s.key("static"), staticText.get())), auth,
          Relay.NONE, false, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, false, Set.of());
    }
    URI upstream = Urls.base(s.key("upstream"), upstreamText.get());
    Optional<String> relayText = s.get("relay").text();
    Relay relay = relayText.isPresent() ? relay(s.key("relay"), relayText.get()) : Relay.BEARER;
    boolean csrf = s.get("csrf").bool(auth.usesSession());
    Optional<String> sizeText = s.get("maxBodyBytes").text();
    long maxBodyBytes = sizeText.isPresent() ? Sizes.parse(s.key("maxBodyBytes"), sizeText.get()) : DEFAULT_MAX_BODY_BYTES;
    if (maxBodyBytes <= 0) {
      throw new ConfigException(s.key("maxBodyBytes"), "must be more than 0; write it like 1MiB");
    }
    Duration timeout = s.get("timeout").positiveDuration(DEFAULT_TIMEOUT);
    boolean dedupe = s.get("dedupe").bool(false);
    Set<String> methods = methods(s.get("methods"));
    return new RouteConfig(path, Optional.of(upstream), Optional.empty(), auth, relay, csrf, maxBodyBytes, timeout,
        dedupe, methods);
  }

  private static String path(String key, String text) throws ConfigException {
    String p = text.strip();
    if (!p.startsWith("/")) {
      throw new ConfigException(key, "'" + p + "' must start with /, like /api/**");
    }
    if (p.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#' || c == '\\' || c == 0x7f)) {
      throw new ConfigException(key, "'" + p + "' must be a plain path without spaces, ?, # or \\");
    }
    String literal = p.endsWith("/**") ? p.substring(0, p.length() - 2) : p;
    if (literal.indexOf('*') >= 0) {
      throw new ConfigException(key, "'" + p + "' has a * in the wrong place; end a prefix route with /**"
          + " (like /api/**) or write an exact path without *");
    }
    String[] segments = literal.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean trailing = i == segments.length - 1;
      if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && !trailing)) {
        throw new ConfigException(key, "'" + p + "' has an empty, . or .. segment; write a normalised path like /api/**");
      }
    }
    return p;
  }

  private static Path staticDir(String key, String text) throws ConfigException {
    Path dir;
    try {
      dir = Path.of(text.strip()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "'" + text + "' is not a valid path; write a directory like ./public");
    }
    if (!Files.exists(dir)) {
      throw new ConfigException(key, "directory " + dir + " does not exist; create it or fix the path"
          + " (relative paths start from the working directory)");
    }
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(key, dir + " is not a directory; point static at the folder that holds the files");
    }
    return dir;
  }

  private static RouteAuth auth(String key, String text, IdentityType identityType) throws ConfigException {
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "required":
        return RouteAuth.of(RouteAuthMode.REQUIRED);
      case "optional":
        return RouteAuth.of(RouteAuthMode.OPTIONAL);
      case "none":
        return RouteAuth.of(RouteAuthMode.NONE);
      default:
        break;
    }
    if (!lower.startsWith("apikey")) {
      throw new ConfigException(key, "'" + t + "' is not one of " + AUTH_FORMS);
    }
    String rest = t.substring("apikey".length()).strip();
    if (!rest.startsWith(":") || rest.substring(1).isBlank()) {
      throw new ConfigException(key, "'" + t + "' needs a privilege: write apiKey:<privilege> with one of "
          + Privilege.labels());
    }
    String label = rest.substring(1).strip();
    Privilege privilege = Privilege.fromLabel(label).orElseThrow(() ->
        new ConfigException(key, "'" + label + "' is not a privilege; use one of " + Privilege.labels()));
    if (identityType != IdentityType.BUILTIN) {
      throw new ConfigException(key, "apiKey routes need identity.type builtin (type is "
          + identityType.name().toLowerCase(Locale.ROOT) + "); use required, optional or none");
    }
    return RouteAuth.apiKey(privilege);
  }

  private static Relay relay(String key, String text) throws ConfigException {
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("bearer")) {
      return Relay.BEARER;
    }
    if (lower.equals("none")) {
      return Relay.NONE;
    }
    if (lower.startsWith("cookie:")) {
      String name = t.substring("cookie:".length()).strip();
      if (name.isEmpty()) {
        throw new ConfigException(key, "'" + t + "' needs a cookie name, like cookie:access_token");
      }
      return Relay.cookie(CookieNames.check(key, name));
    }
    throw new ConfigException(key, "'" + t + "' is not one of bearer, cookie:<name> or none");
  }

  private static Set<String> methods(Value v) throws ConfigException {
    Set<String> methods = new LinkedHashSet<>();
    for (Value item : v.list().orElse(List.of())) {
      String m = item.required("remove the empty entry").strip();
      if (!m.matches("[A-Za-z]+")) {
        throw new ConfigException(item.key(), "'" + m + "' is not an HTTP method; write names like GET or POST");
      }
      methods.add(m.toUpperCase(Locale.ROOT));
    }
    return methods;
  }
}
