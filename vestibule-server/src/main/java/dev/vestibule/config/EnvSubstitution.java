package dev.vestibule.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in one scalar. The result is not scanned again, so an
 * environment value is always taken literally. {@code $${} writes a literal {@code ${}.
 */
final class EnvSubstitution {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FORMS = "write ${NAME} or ${NAME:-default}, or $${ for a literal ${";

  private EnvSubstitution() {
  }

  static String apply(String key, String text, Map<String, String> env) throws ConfigException {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new ConfigException(key, "has a '${' without its closing '}'; " + FORMS);
        }
        out.append(resolve(key, text.substring(i + 2, close), env));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String resolve(String key, String expression, Map<String, String> env) throws ConfigException {
    int sep = expression.indexOf(":-");
    String name = sep < 0 ? expression : expression.substring(0, sep);
    if (!NAME.matcher(name).matches()) {
      // The expression itself is not quoted back: it may be part of a secret.
      throw new ConfigException(key, "has a ${...} reference without a valid variable name; " + FORMS);
    }
    String value = env.get(name);
    if (sep >= 0) {
      return value == null || value.isEmpty() ? expression.substring(sep + 2) : value;
    }
    if (value == null) {
      throw new ConfigException(key, "environment variable " + name + " is not set; export it or give a default with ${"
          + name + ":-...}");
    }
    return value;
  }
}
