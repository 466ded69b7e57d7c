package dev.vestibule.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads {@code session:}. Secret values never appear in its error messages. */
final class SessionSection {

  static final int MIN_SECRET_LENGTH = 32;
  private static final List<String> KEYS = List.of("secrets", "cookieName", "maxAge", "idleTimeout", "sameSite", "store");

  private SessionSection() {
  }

  static SessionConfig read(Section s, boolean https, boolean redisConfigured) throws ConfigException {
    s.allowOnly(KEYS);
    List<String> secrets = secrets(s.get("secrets"));

    Value nameValue = s.get("cookieName");
    String cookieName = CookieNames.check(nameValue.key(), nameValue.text("vestibule").strip());
    String lower = cookieName.toLowerCase(Locale.ROOT);
    if (lower.startsWith("__host-") || lower.startsWith("__secure-")) {
      throw new ConfigException(nameValue.key(), "'" + cookieName
          + "' has a __Host-/__Secure- prefix; leave it out, Vestibule adds __Host- under https");
    }
    if (lower.equals(CookieNames.CSRF_COOKIE)) {
      throw new ConfigException(nameValue.key(), "'" + cookieName
          + "' is the name of the CSRF cookie; choose another name");
    }

    Duration maxAge = s.get("maxAge").positiveDuration(Duration.ofDays(7));
    Duration idleTimeout = s.get("idleTimeout").duration(Duration.ZERO);

    Value sameSiteValue = s.get("sameSite");
    SameSite sameSite = sameSiteValue.choice(SameSite.class, SameSite.LAX);
    if (sameSite == SameSite.NONE && !https) {
      throw new ConfigException(sameSiteValue.key(), "None needs an https publicUrl (browsers drop SameSite=None"
          + " cookies that are not Secure); set publicUrl to https://... or use Lax");
    }

    Value storeValue = s.get("store");
    SessionStore store = storeValue.choice(SessionStore.class, SessionStore.COOKIE);
    if (store == SessionStore.REDIS && !redisConfigured) {
      throw new ConfigException(storeValue.key(), "redis needs the top-level redis: URL; add redis: redis://host:6379"
          + " or use store: cookie");
    }
    return new SessionConfig(secrets, cookieName, maxAge, idleTimeout, sameSite, store);
  }

  private static List<String> secrets(Value value) throws ConfigException {
    if (!value.present()) {
      throw new ConfigException(value.key(), "missing; generate a secret with ./vestibule secret and set it here or"
          + " in VESTIBULE_SESSION_SECRET");
    }
    List<Value> items = value.list().orElseThrow();
    if (items.isEmpty()) {
      throw new ConfigException(value.key(), "is empty; generate a secret with ./vestibule secret and list it here");
    }
    List<String> secrets = new ArrayList<>();
    for (Value item : items) {
      String secret = item.rawText();
      int length = secret.codePointCount(0, secret.length());
      if (length < MIN_SECRET_LENGTH) {
        throw new ConfigException(item.key(), "must be at least " + MIN_SECRET_LENGTH + " characters (it has "
            + length + "); generate one with ./vestibule secret");
      }
      secrets.add(secret);
    }
    return secrets;
  }
}
