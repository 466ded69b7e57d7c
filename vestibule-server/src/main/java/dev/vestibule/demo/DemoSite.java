package dev.vestibule.demo;

import dev.vestibule.Vestibule;
import dev.vestibule.guard.Guards;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/** The embedded default's pages: plain HTML and a little JS, no build step. */
public final class DemoSite {
  private DemoSite() {}

  public static void mount(Router router, Vestibule vestibule) {
    Guards guards = vestibule.guards();
    router.route("/demo/*").handler(StaticHandler.create("demo").setCachingEnabled(true));
    page(router, "/", "index.html");
    page(router, "/login", "login.html");
    page(router, "/register", "register.html");
    page(router, "/reset-password", "reset-password.html");
    // Protected pages: a browser without a session is sent to the login page by the guard.
    router.get("/notes").handler(guards.authenticated(ctx -> ctx.response().sendFile("demo/notes.html")));
    router.get("/users").handler(guards.authenticated(ctx -> ctx.response().sendFile("demo/users.html")));
  }

  private static void page(Router router, String path, String file) {
    router.get(path).handler(ctx -> ctx.response().sendFile("demo/" + file));
  }
}
