package dev.vestibule.token;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenEndpoint} over HTTP, for any RFC 6749 / RFC 7009 provider. Never logs a token. */
public final class OAuth2Client implements TokenEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(OAuth2Client.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final OAuth2Provider provider;
  private final HttpClient http;
  private final Clock clock;

  public OAuth2Client(OAuth2Provider provider, Clock clock) {
    this.provider = provider;
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .connectTimeout(provider.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public CompletionStage<TokenSet> password(String username, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", username);
    form.put("password", password);
    return grant(form, null);
  }

  /** Authorization-code grant (RFC 6749 §4.1.3) with its PKCE verifier (RFC 7636). */
  public CompletionStage<TokenSet> authorizationCode(String code, URI redirectUri, String codeVerifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri.toString());
    form.put("code_verifier", codeVerifier);
    return grant(form, null);
  }

  @Override
  public CompletionStage<TokenSet> refresh(TokenSet current) {
    String refreshToken = current.refreshToken()
        .orElseThrow(() -> new TokenRejectedException("invalid_grant", "the session has no refresh token"));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    return grant(form, current);
  }

  @Override
  public CompletionStage<Void> revoke(TokenSet tokens) {
    if (provider.revocationEndpoint().isEmpty() || tokens.refreshToken().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", tokens.refreshToken().get());
    form.put("token_type_hint", "refresh_token");
    return http.sendAsync(formRequest(provider.revocationEndpoint().get(), form), HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> {
          if (failure != null) {
            LOG.warn("token revocation failed: {}", failure.getClass().getSimpleName());
          } else if (response.statusCode() != 200) {
            LOG.warn("token revocation answered {}", response.statusCode());
          }
          return null;
        });
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> userinfo(String accessToken) {
    if (provider.userinfoEndpoint().isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    HttpRequest request = HttpRequest.newBuilder(provider.userinfoEndpoint().get())
        .timeout(provider.timeout())
        .header("Authorization", "Bearer " + accessToken)
        .header("Accept", "application/json")
        .GET()
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null || response.statusCode() != 200) return Optional.empty();
          try {
            return Optional.of(JSON.readValue(response.body(), MAP));
          } catch (IOException e) {
            return Optional.empty();
          }
        });
  }

  private CompletionStage<TokenSet> grant(Map<String, String> form, TokenSet previous) {
    Instant sentAt = clock.instant();
    return http.sendAsync(formRequest(provider.tokenEndpoint(), form), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            throw new ProviderUnavailableException("token endpoint unreachable: " + cause.getClass().getSimpleName(), null);
          }
          return TokenResponses.read(response.statusCode(), response.body(), previous, sentAt);
        });
  }

  private HttpRequest formRequest(URI endpoint, Map<String, String> form) {
    Map<String, String> body = new LinkedHashMap<>(form);
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
        .timeout(provider.timeout())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json");
    if (provider.clientSecret().isPresent() && provider.clientAuthentication() == OAuth2Provider.ClientAuthentication.BASIC) {
      String credentials = urlEncode(provider.clientId()) + ":" + urlEncode(provider.clientSecret().get());
      builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    } else {
      body.put("client_id", provider.clientId());
      provider.clientSecret().ifPresent(secret -> body.put("client_secret", secret));
    }
    return builder.POST(HttpRequest.BodyPublishers.ofString(encodeForm(body))).build();
  }

  static String encodeForm(Map<String, String> form) {
    StringBuilder out = new StringBuilder();
    form.forEach((name, value) -> {
      if (out.length() > 0) out.append('&');
      out.append(urlEncode(name)).append('=').append(urlEncode(value));
    });
    return out.toString();
  }

  private static String urlEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
