package dev.vestibule.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * Reads and writes the session cookie as plain header strings, splitting a large value over
 * {@code name.0}, {@code name.1}, … and clearing whichever of those cookies the browser still
 * holds but the new value no longer uses.
 */
public final class SessionCookies {

  /** Above this the value is chunked (SPEC §4). */
  public static final int MAX_SINGLE_VALUE = 4000;
  /** Browsers keep cookies up to 4096 bytes, counting name, value and attributes. */
  public static final int MAX_COOKIE_BYTES = 4096;
  static final int CHUNK_SIZE = 3800;
  private static final int MAX_BASE_NAME = 64;

  private final String name;
  private final boolean secure;
  private final String sameSite;

  public SessionCookies(String baseName, boolean secure, String sameSite) {
    if (baseName == null || baseName.isEmpty() || baseName.length() > MAX_BASE_NAME || !isToken(baseName)) {
      throw new IllegalArgumentException("session cookieName must be 1-" + MAX_BASE_NAME
          + " letters, digits or !#$%&'*+-.^_`|~, got '" + baseName + "'");
    }
    String site = normaliseSameSite(sameSite);
    // Browsers drop SameSite=None cookies that are not Secure: fail at start, not silently per login.
    if (site.equals("None") && !secure) {
      throw new IllegalArgumentException("session sameSite None needs Secure cookies (an https publicUrl); use Lax or Strict");
    }
    this.name = secure ? "__Host-" + baseName : baseName;
    this.secure = secure;
    this.sameSite = site;
  }

  /** The cookie name as the browser sees it ({@code __Host-} prefixed when secure). */
  public String name() {
    return name;
  }

  /** True for this family's cookies: {@code name} and {@code name.<digits>}. */
  public boolean isOwnCookie(String cookieName) {
    if (cookieName == null || !cookieName.startsWith(name)) {
      return false;
    }
    if (cookieName.length() == name.length()) {
      return true;
    }
    if (cookieName.charAt(name.length()) != '.' || cookieName.length() == name.length() + 1) {
      return false;
    }
    return cookieName.substring(name.length() + 1).chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The sealed value: the unchunked cookie if present, else {@code name.0 + name.1 + …} up to the first gap. */
  public Optional<String> read(Map<String, String> requestCookies) {
    String whole = requestCookies.get(name);
    if (whole != null && !whole.isEmpty()) {
      return Optional.of(whole);
    }
    StringBuilder joined = new StringBuilder();
    for (int i = 0; ; i++) {
      String chunk = requestCookies.get(name + "." + i);
      if (chunk == null || chunk.isEmpty()) {
        break;
      }
      joined.append(chunk);
    }
    return joined.isEmpty() ? Optional.empty() : Optional.of(joined.toString());
  }

  /**
   * Set-Cookie values that store {@code sealedValue} and clear this family's other cookies
   * named in {@code requestCookieNames}. A null {@code maxAge} makes browser-session cookies.
   */
  public List<String> write(String sealedValue, Duration maxAge, Set<String> requestCookieNames) {
    if (sealedValue == null || sealedValue.isEmpty() || !sealedValue.chars().allMatch(SessionCookies::isCookieOctet)) {
      throw new IllegalArgumentException("a cookie value must be non-empty and cookie-safe (e.g. base64url)");
    }
    Long maxAgeSeconds = maxAge == null ? null : seconds(maxAge);
    Map<String, String> cookies = new LinkedHashMap<>();
    String single = setCookie(name, sealedValue, maxAgeSeconds);
    // The value is ASCII, so characters are bytes.
    if (sealedValue.length() <= MAX_SINGLE_VALUE && single.length() <= MAX_COOKIE_BYTES) {
      cookies.put(name, single);
    } else {
      for (int i = 0, from = 0; from < sealedValue.length(); i++, from += CHUNK_SIZE) {
        String chunkName = name + "." + i;
        String chunk = sealedValue.substring(from, Math.min(sealedValue.length(), from + CHUNK_SIZE));
        cookies.put(chunkName, setCookie(chunkName, chunk, maxAgeSeconds));
      }
    }
    List<String> headers = new ArrayList<>(cookies.values());
    for (String stale : ownCookies(requestCookieNames)) {
      if (!cookies.containsKey(stale)) {
        headers.add(clearing(stale));
      }
    }
    return List.copyOf(headers);
  }

  /** Clears {@code name} and every chunk the request carried: "cookie cleared" per SPEC §4. */
  public List<String> clear(Set<String> requestCookieNames) {
    Set<String> names = new LinkedHashSet<>();
    names.add(name);
    names.addAll(ownCookies(requestCookieNames));
    return names.stream().map(this::clearing).toList();
  }

  /**
   * Parses a {@code Cookie} request header ({@code a=1; b=2}). Tolerates extra spaces and empty
   * parts, skips parts without a name, strips surrounding double quotes; the first of a repeated
   * name wins. Several {@code Cookie} headers (HTTP/2) should be joined with {@code "; "} first.
   */
  public static Map<String, String> parseCookieHeader(String header) {
    if (header == null || header.isBlank()) {
      return Map.of();
    }
    Map<String, String> cookies = new LinkedHashMap<>();
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      String cookieName = (eq < 0 ? "" : part.substring(0, eq)).trim();
      if (cookieName.isEmpty()) {
        continue;
      }
      String value = part.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      cookies.putIfAbsent(cookieName, value);
    }
    return Collections.unmodifiableMap(cookies);
  }

  /** The header without the cookies whose name {@code drop} accepts; null when nothing is left. */
  public static String stripCookies(String header, Predicate<String> drop) {
    if (header == null) {
      return null;
    }
    StringJoiner kept = new StringJoiner("; ");
    for (String part : header.split(";")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String cookieName = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
      if (!drop.test(cookieName)) {
        kept.add(trimmed);
      }
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  private List<String> ownCookies(Set<String> requestCookieNames) {
    if (requestCookieNames == null) {
      return List.of();
    }
    // Sorted so the header list does not depend on the caller's set ordering.
    return requestCookieNames.stream().filter(this::isOwnCookie).sorted().toList();
  }

  private String clearing(String cookieName) {
    return setCookie(cookieName, "", 0L);
  }

  private String setCookie(String cookieName, String value, Long maxAgeSeconds) {
    return cookieName + "=" + value + "; Path=/"
        + (maxAgeSeconds == null ? "" : "; Max-Age=" + maxAgeSeconds)
        + "; HttpOnly" + (secure ? "; Secure" : "") + "; SameSite=" + sameSite;
  }

  private static long seconds(Duration maxAge) {
    if (maxAge.isNegative() || maxAge.isZero()) {
      return 0;
    }
    return Math.max(1, maxAge.getSeconds());
  }

  private static String normaliseSameSite(String sameSite) {
    String s = Objects.requireNonNullElse(sameSite, "").toLowerCase(Locale.ROOT);
    return switch (s) {
      case "lax" -> "Lax";
      case "strict" -> "Strict";
      case "none" -> "None";
      default -> throw new IllegalArgumentException("session sameSite must be Lax, Strict or None, got '" + sameSite + "'");
    };
  }

  private static boolean isToken(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
  }

  // RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
  private static boolean isCookieOctet(int c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
  }
}
