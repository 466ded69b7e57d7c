package dev.vestibule.examples.identity;

import dev.vestibule.guard.Verified;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Navigation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The page a mailed login link opens. The {@code magicLink} guard in front has spent the link and started the
 * user's session; this only greets them: an HTML page for a browser, JSON for a script.
 */
final class Welcome {
  private Welcome() {}

  static void render(RoutingContext ctx) {
    Verified verified = Verified.of(ctx);
    Map<String, Object> user = verified.user();
    String returnTo = verified.returnTo().orElse("/");
    if (!Navigation.isNavigation(ctx.request())) {
      JsonBodies.send(ctx, 200, new JsonObject().put("user", new JsonObject(user)).put("returnTo", returnTo));
      return;
    }
    String page = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Welcome</title></head>
        <body>
          <h1>Welcome, %s</h1>
          <p>You are logged in as %s.</p>
          <p><a href="%s">Continue</a></p>
        </body>
        </html>
        """.formatted(escape(user.get("name")), escape(user.get("email")), escape(returnTo));
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'")
        .end(page);
  }

  /** Names and addresses are the user's own input: never HTML. */
  static String escape(Object value) {
    String text = value == null ? "" : value.toString();
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
