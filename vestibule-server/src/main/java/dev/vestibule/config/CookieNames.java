package dev.vestibule.config;

/** Cookie names the config accepts: letters, digits, '-' and '_'. */
final class CookieNames {

  /** Set by the gateway next to the session cookie, so a session cookie may not take this name. */
  static final String CSRF_COOKIE = "vestibule-csrf";

  private CookieNames() {
  }

  static String check(String key, String name) throws ConfigException {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new ConfigException(key, "'" + name + "' is not a valid cookie name; use only letters, digits, - and _");
    }
    return name;
  }
}
