package dev.vestibule.token;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Where an OAuth2 provider's endpoints are and how this client authenticates to them. */
public record OAuth2Provider(
    URI tokenEndpoint,
    Optional<URI> revocationEndpoint,
    Optional<URI> userinfoEndpoint,
    String clientId,
    Optional<String> clientSecret,
    ClientAuthentication clientAuthentication,
    Duration timeout) {

  public enum ClientAuthentication {
    /** client_secret_basic: credentials in the Authorization header. */
    BASIC,
    /** client_secret_post: credentials in the form body. */
    POST
  }

  public OAuth2Provider {
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(clientId, "clientId");
    revocationEndpoint = revocationEndpoint == null ? Optional.empty() : revocationEndpoint;
    userinfoEndpoint = userinfoEndpoint == null ? Optional.empty() : userinfoEndpoint;
    clientSecret = clientSecret == null ? Optional.empty() : clientSecret.filter(s -> !s.isEmpty());
    clientAuthentication = clientAuthentication == null ? ClientAuthentication.BASIC : clientAuthentication;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
  }

  @Override
  public String toString() {
    return "OAuth2Provider[tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId + "]";
  }
}
