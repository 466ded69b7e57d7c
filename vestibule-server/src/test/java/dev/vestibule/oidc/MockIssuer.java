package dev.vestibule.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OpenID provider on loopback (NAV's mock-oauth2-server): discovery, an authorization endpoint that logs the
 * user in at once and redirects back with a code, token (code, refresh), JWKS, userinfo and revocation endpoints.
 */
final class MockIssuer implements AutoCloseable {
  static final String ID = "default";
  static final String CLIENT_ID = "web";
  static final String CLIENT_SECRET = "s3cret-client";
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final MockOAuth2Server server = new MockOAuth2Server();

  MockIssuer() {
    server.start();
  }

  String issuer() {
    return server.issuerUrl(ID).toString();
  }

  /** The lines under {@code identity:} for this provider. */
  String identity(String... more) {
    StringBuilder yaml = new StringBuilder("type: oidc\nissuer: " + issuer() + "\nclientId: " + CLIENT_ID
        + "\nclientSecret: " + CLIENT_SECRET + "\n");
    for (String line : more) yaml.append(line).append('\n');
    return yaml.toString();
  }

  /** The next login is {@code subject} with these extra claims, its tokens valid {@code seconds}. */
  void nextLogin(String subject, Map<String, Object> claims, long seconds) {
    server.enqueueCallback(new DefaultOAuth2TokenCallback(ID, subject, "JWT", List.of(CLIENT_ID), claims, seconds));
  }

  /** Follows the gateway's redirect to the authorization endpoint; the provider's redirect (a Location). */
  URI authorize(String authorizationUrl) {
    try {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 302) throw new IllegalStateException("the provider answered " + answer.statusCode());
      return URI.create(answer.headers().firstValue("Location").orElseThrow());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The requests the provider received so far, oldest first, without waiting. */
  List<RecordedRequest> drain() {
    java.util.ArrayList<RecordedRequest> out = new java.util.ArrayList<>();
    while (true) {
      try {
        RecordedRequest r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (r == null) return out;
        out.add(r);
      } catch (RuntimeException none) {
        return out;
      }
    }
  }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (RuntimeException alreadyStopped) {
      // a test stopped it to play an outage
    }
  }
}
