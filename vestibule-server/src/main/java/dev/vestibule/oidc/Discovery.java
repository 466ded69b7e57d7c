package dev.vestibule.oidc;

import dev.vestibule.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code <issuer>/.well-known/openid-configuration} (OpenID Connect Discovery 1.0) once, at start-up. Every
 * way it can fail is a {@link ConfigException} on {@code identity.issuer}: the gateway cannot log anyone in
 * without it, and the fix is almost always in that one setting or in the network between the two.
 */
public final class Discovery {
  static final String KEY = "identity.issuer";
  private static final String PATH = "/.well-known/openid-configuration";

  private Discovery() {}

  public static URI documentUrl(URI issuer) {
    String base = issuer.toString();
    while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return URI.create(base + PATH);
  }

  public static ProviderMetadata fetch(URI issuer, Duration timeout) throws ConfigException {
    URI url = documentUrl(issuer);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET()
          .build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw failure("the provider's discovery document " + url + " could not be fetched ("
          + e.getClass().getSimpleName() + "); check that identity.issuer is your provider's issuer URL and that the"
          + " provider is reachable from the gateway");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while fetching " + url);
    } finally {
      http.close();
    }
    if (response.statusCode() != 200) {
      throw failure(url + " answered HTTP " + response.statusCode() + ", not the discovery document; check that"
          + " identity.issuer is your provider's issuer URL, exactly as it publishes it");
    }
    JsonObject doc;
    try {
      doc = new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw failure(url + " is not a JSON discovery document; check that identity.issuer is your provider's issuer URL");
    }
    return read(issuer, url, doc);
  }

  static ProviderMetadata read(URI configured, URI url, JsonObject doc) throws ConfigException {
    String issuer = doc.getValue("issuer") instanceof String s ? s : null;
    if (issuer == null) throw failure(url + " has no issuer; it is not an OpenID Connect discovery document");
    if (!issuer.equals(configured.toString())) {
      throw failure("the provider calls itself '" + issuer + "', not '" + configured + "'; set identity.issuer to"
          + " exactly '" + issuer + "' (ID tokens are checked against it)");
    }
    return new ProviderMetadata(issuer,
        endpoint(url, doc, "authorization_endpoint").orElseThrow(() -> missing(url, "authorization_endpoint")),
        endpoint(url, doc, "token_endpoint").orElseThrow(() -> missing(url, "token_endpoint")),
        endpoint(url, doc, "jwks_uri").orElseThrow(() -> missing(url, "jwks_uri")),
        endpoint(url, doc, "userinfo_endpoint"),
        endpoint(url, doc, "revocation_endpoint"),
        strings(doc.getValue("id_token_signing_alg_values_supported")),
        Boolean.TRUE.equals(doc.getValue("authorization_response_iss_parameter_supported")));
  }

  private static Optional<URI> endpoint(URI url, JsonObject doc, String name) throws ConfigException {
    if (!(doc.getValue(name) instanceof String text) || text.isBlank()) return Optional.empty();
    try {
      URI uri = new URI(text);
      if (uri.isAbsolute() && uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        return Optional.of(uri);
      }
    } catch (java.net.URISyntaxException e) {
      // answered below
    }
    throw failure(url + " gives " + name + " as '" + text + "', which is not an http(s) URL; fix the provider's"
        + " configuration or identity.issuer");
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof String s) out.add(s);
      }
    }
    return out;
  }

  private static ConfigException missing(URI url, String name) {
    return failure(url + " has no " + name + "; identity.type oidc needs a provider that publishes one");
  }

  private static ConfigException failure(String problem) {
    return new ConfigException(KEY, problem);
  }
}
