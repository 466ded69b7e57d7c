package dev.vestibule.builtin;

import dev.vestibule.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Users for tests of the built-in identity: fresh addresses, and registration over HTTP. */
final class Users {
  static final String PASSWORD = "violet-harbour-lantern-42";

  private Users() {}

  /** An address no other test uses, like {@code ada-1f3c9a2b@example.org}. */
  static String freshEmail(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
  }

  static Browser.Response register(Browser browser, String name, String email, String password) {
    return browser.post("/auth/register", registration(name, email, password));
  }

  static String registration(String name, String email, String password) {
    return new JsonObject().put("name", name).put("email", email).put("password", password).encode();
  }

  static String credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password).encode();
  }
}
