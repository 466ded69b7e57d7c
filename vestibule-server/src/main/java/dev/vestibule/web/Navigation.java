package dev.vestibule.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Tells a browser navigation from an API call, and where to send a user who must log in again. */
public final class Navigation {
  private Navigation() {}

  public static boolean isNavigation(HttpServerRequest request) {
    if ("navigate".equalsIgnoreCase(request.getHeader("Sec-Fetch-Mode"))) return true;
    String accept = request.getHeader("Accept");
    return request.method() == HttpMethod.GET && accept != null && accept.contains("text/html");
  }

  /** The login page with {@code returnTo} set to this request's path and query. */
  public static String loginUrl(String loginPage, HttpServerRequest request) {
    String uri = request.uri();
    String returnTo = uri.startsWith("/") && !uri.startsWith("//") ? uri : "/";
    String separator = loginPage.contains("?") ? "&" : "?";
    return loginPage + separator + "returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
  }
}
