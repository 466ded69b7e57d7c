package dev.vestibule.oidc;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What an OpenID provider's discovery document says about it, as far as the gateway uses it. */
public record ProviderMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
    Optional<URI> userinfoEndpoint, Optional<URI> revocationEndpoint, List<String> idTokenAlgorithms,
    boolean issParameterSupported) {

  public ProviderMetadata {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(userinfoEndpoint, "userinfoEndpoint");
    Objects.requireNonNull(revocationEndpoint, "revocationEndpoint");
    idTokenAlgorithms = List.copyOf(idTokenAlgorithms);
  }
}
