package dev.vestibule.config;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/** Hides credentials that URLs and JDBC strings may carry, for toString() and error messages. */
final class Redact {

  private static final Pattern USER_INFO = Pattern.compile("//[^/?#@]*@");
  private static final Pattern SECRET_PARAM = Pattern.compile("(?i)\\b(password|passwd|pwd|secret|token)=[^&;]*");

  private Redact() {
  }

  static String url(String text) {
    if (text == null) {
      return null;
    }
    String s = USER_INFO.matcher(text).replaceAll("//***@");
    return SECRET_PARAM.matcher(s).replaceAll("$1=***");
  }

  static String url(URI uri) {
    return uri == null ? null : url(uri.toString());
  }

  static String url(Optional<URI> uri) {
    return uri.map(Redact::url).map(s -> "Optional[" + s + "]").orElse("Optional.empty");
  }

  static String secret(Optional<String> secret) {
    return secret.isPresent() ? "Optional[***]" : "Optional.empty";
  }
}
