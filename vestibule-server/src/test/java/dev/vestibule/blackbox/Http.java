package dev.vestibule.blackbox;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small HTTP client for one "browser": java.net.http over loopback, no redirects followed, and its own
 * cookie jar that keeps what Set-Cookie says (a cookie with {@code Max-Age=0} or an empty value is dropped).
 */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  final String base;
  /** Cookie name to value, as this client would send them. */
  final Map<String, String> jar = new LinkedHashMap<>();

  Http(String base) {
    this.base = base;
  }

  /** Another client with a copy of this one's cookies (a stolen or replayed cookie). */
  Http copy() {
    Http copy = new Http(base);
    copy.jar.putAll(jar);
    return copy;
  }

  String csrf() {
    return jar.get("vestibule-csrf");
  }

  /** One answer: status, headers, body. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> all = all(name);
      return all.isEmpty() ? null : all.get(0);
    }

    List<String> all(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    /** The Set-Cookie line that sets {@code name}, or null. */
    String setCookie(String name) {
      return all("set-cookie").stream().filter(line -> line.startsWith(name + "=")).findFirst().orElse(null);
    }

    /** The attributes of the Set-Cookie for {@code name}, lower-cased names, e.g. {@code httponly -> ""}. */
    Map<String, String> cookieAttributes(String name) {
      String line = setCookie(name);
      if (line == null) return null;
      Map<String, String> out = new LinkedHashMap<>();
      String[] parts = line.split(";");
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i].trim();
        if (part.isEmpty()) continue;
        int eq = part.indexOf('=');
        if (eq < 0) out.put(part.toLowerCase(Locale.ROOT), "");
        else out.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
      }
      return out;
    }

    @Override
    public String toString() {
      return status + " " + headers + "\n" + body;
    }
  }

  Answer get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  Answer delete(String path, String... headers) {
    return send("DELETE", path, null, null, headers);
  }

  Answer postJson(String path, JsonObject json, String... headers) {
    return send("POST", path, "application/json", json.encode(), headers);
  }

  /** A JSON POST with the CSRF header this client's cookie calls for. */
  Answer postJsonCsrf(String path, JsonObject json, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-CSRF-Token";
    all[1] = csrf() == null ? "" : csrf();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return send("POST", path, "application/json", json.encode(), all);
  }

  Answer postForm(String path, Map<String, String> form, String... headers) {
    String body = form.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return send("POST", path, "application/x-www-form-urlencoded", body, headers);
  }

  Answer send(String method, String path, String contentType, String body, String... headers) {
    URI uri = path.startsWith("http") ? URI.create(path) : URI.create(base + path);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
    if (contentType != null) builder.header("Content-Type", contentType);
    if (!jar.isEmpty()) {
      builder.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      for (String line : response.headers().allValues("set-cookie")) remember(line);
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void remember(String line) {
    String pair = line.split(";", 2)[0];
    int eq = pair.indexOf('=');
    String name = pair.substring(0, eq).trim();
    String value = pair.substring(eq + 1).trim();
    boolean expired = line.toLowerCase(Locale.ROOT).matches(".*;\\s*max-age=0(;.*|\\s*)$");
    if (expired || value.isEmpty()) jar.remove(name); else jar.put(name, value);
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
