package dev.vestibule.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** URL checks shared by the config sections. Error messages quote the URL with credentials hidden. */
final class Urls {

  private static final Set<String> HTTP = Set.of("http", "https");

  private Urls() {
  }

  /** An absolute http(s) URL with a host and no user info or fragment; the scheme is lower-cased. */
  static URI http(String key, String text) throws ConfigException {
    URI uri = absolute(key, text, HTTP, "http(s) URL", "https://host:port/path");
    if (uri.getRawUserInfo() != null) {
      throw new ConfigException(key, "'" + Redact.url(text) + "' must not contain user:password@; remove it");
    }
    if (uri.getRawFragment() != null) {
      throw new ConfigException(key, "'" + Redact.url(text) + "' must not have a #fragment; remove it");
    }
    return uri;
  }

  /** Like {@link #http} but also without a query, and without a trailing slash. */
  static URI base(String key, String text) throws ConfigException {
    URI uri = http(key, text);
    if (uri.getRawQuery() != null) {
      throw new ConfigException(key, "'" + Redact.url(text) + "' must not have a ?query; remove it");
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  static URI absolute(String key, String text, Set<String> schemes, String what, String example)
      throws ConfigException {
    String t = text.strip();
    ConfigException bad = new ConfigException(key,
        "'" + Redact.url(t) + "' is not an absolute " + what + "; write it like " + example);
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw bad;
    }
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null
        || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw bad;
    }
    String scheme = uri.getScheme();
    return URI.create(scheme.toLowerCase(Locale.ROOT) + t.substring(scheme.length()));
  }
}
