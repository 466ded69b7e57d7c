package dev.vestibule.server;

import dev.vestibule.config.RouteConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves a route's directory of static files, or a single-page app. */
final class StaticRoute {
  private StaticRoute() {}

  static Handler<RoutingContext> files(RouteConfig route) {
    return StaticHandler.create(FileSystemAccess.ROOT, root(route).toString())
        .setIndexPage("index.html")
        .setCachingEnabled(true);
  }

  /** After {@link #files} found nothing: a browser navigation gets {@code index.html}, for an app's own routes. */
  static Handler<RoutingContext> appFallback(RouteConfig route) {
    Path index = root(route).resolve("index.html");
    return ctx -> {
      boolean page = ctx.request().method() == HttpMethod.GET
          && String.valueOf(ctx.request().getHeader("Accept")).contains("text/html");
      if (page && Files.isRegularFile(index)) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").sendFile(index.toString());
      } else {
        ctx.next();
      }
    };
  }

  private static Path root(RouteConfig route) {
    return route.staticDir().orElseThrow().toAbsolutePath().normalize();
  }
}
