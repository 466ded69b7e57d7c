package dev.vestibule.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** An HTTP client with a cookie jar that keeps exactly what the gateway's Set-Cookie headers say. */
public final class Browser {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final String base;
  public final Map<String, String> cookies = new LinkedHashMap<>();
  /** Every answer this browser got, in order, for checks across a whole test. */
  public final List<Response> history = new CopyOnWriteArrayList<>();

  public Browser(String base) {
    this.base = base;
  }

  /** Another browser on {@code base} holding a copy of this one's cookies (a second tab, or a replay). */
  public Browser copy(String base) {
    Browser copy = new Browser(base);
    copy.cookies.putAll(cookies);
    return copy;
  }

  public Browser copy() {
    return copy(base);
  }

  public record Response(String path, int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }

    public List<String> all(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    /** The Set-Cookie line for {@code name}, or null. */
    public String setCookie(String name) {
      return all("set-cookie").stream().filter(line -> line.startsWith(name + "=")).findFirst().orElse(null);
    }
  }

  public Response get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  public Response post(String path, String json, String... headers) {
    return send(request(path, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
    return send(request(path, headers).method(method, body));
  }

  /** Logs in with the provider's test user; asserts nothing. */
  public Response login() {
    return post("/auth/login", new JsonObject().put("email", FakeProvider.USER).put("password", FakeProvider.PASSWORD).encode());
  }

  /** Sends a GET and hands back the body as a stream, for timing a download as it arrives. */
  public HttpResponse<InputStream> stream(String path, String... headers) {
    try {
      return HTTP.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String base() {
    return base;
  }

  public String csrf() {
    return cookies.get("vestibule-csrf");
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
    if (!cookies.isEmpty()) {
      builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    return builder;
  }

  private Response send(HttpRequest.Builder builder) {
    try {
      HttpRequest request = builder.build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      for (String setCookie : response.headers().allValues("set-cookie")) remember(setCookie);
      Response answer = new Response(request.uri().getRawPath(), response.statusCode(), response.headers().map(),
          response.body());
      history.add(answer);
      return answer;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void remember(String setCookie) {
    String pair = setCookie.split(";", 2)[0];
    int eq = pair.indexOf('=');
    String name = pair.substring(0, eq).trim();
    String value = pair.substring(eq + 1).trim();
    boolean expired = setCookie.toLowerCase().contains("max-age=0");
    if (expired || value.isEmpty()) {
      cookies.remove(name);
    } else {
      cookies.put(name, value);
    }
  }
}
