package dev.vestibule.config;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity provider. Fields belong to one type; those of another type hold neutral values:
 * <ul>
 *   <li>{@code database} is null unless the type is builtin; {@code clients} is empty unless builtin.</li>
 *   <li>{@code tokenEndpoint} is null unless oauth2; {@code issuer} is null and {@code scopes} empty unless oidc.</li>
 *   <li>{@code clientId} is null for builtin; {@code clientSecret}, {@code revocationEndpoint} and
 *       {@code userinfoEndpoint} are empty for builtin.</li>
 *   <li>The builtin durations always hold their values (defaults outside builtin); {@code clientAuth} defaults to basic;
 *       {@code apiKeyMaxPrivilege}, the highest privilege a user may give their API keys, defaults to full.</li>
 * </ul>
 * For oidc, {@code revocationEndpoint} and {@code userinfoEndpoint} are optional overrides of the discovery document.
 */
public record IdentityConfig(IdentityType type,
    String database, Duration accessTokenTtl, Duration refreshTokenTtl, List<ClientConfig> clients,
    Duration magicLinkTtl, Duration resetTtl, Duration mfaCodeTtl, Privilege apiKeyMaxPrivilege,
    URI tokenEndpoint, Optional<URI> revocationEndpoint, Optional<URI> userinfoEndpoint,
    String clientId, Optional<String> clientSecret, ClientAuth clientAuth,
    URI issuer, List<String> scopes) {

  public IdentityConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
    Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl");
    clients = List.copyOf(clients);
    Objects.requireNonNull(magicLinkTtl, "magicLinkTtl");
    Objects.requireNonNull(apiKeyMaxPrivilege, "apiKeyMaxPrivilege");
    Objects.requireNonNull(resetTtl, "resetTtl");
    Objects.requireNonNull(mfaCodeTtl, "mfaCodeTtl");
    Objects.requireNonNull(revocationEndpoint, "revocationEndpoint");
    Objects.requireNonNull(userinfoEndpoint, "userinfoEndpoint");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(clientAuth, "clientAuth");
    scopes = List.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "IdentityConfig[type=" + type + ", database=" + Redact.url(database) + ", accessTokenTtl=" + accessTokenTtl
        + ", refreshTokenTtl=" + refreshTokenTtl + ", clients=" + clients + ", magicLinkTtl=" + magicLinkTtl
        + ", resetTtl=" + resetTtl + ", mfaCodeTtl=" + mfaCodeTtl + ", tokenEndpoint=" + tokenEndpoint
        + ", revocationEndpoint=" + revocationEndpoint + ", userinfoEndpoint=" + userinfoEndpoint
        + ", clientId=" + clientId + ", clientSecret=" + Redact.secret(clientSecret) + ", clientAuth=" + clientAuth
        + ", issuer=" + issuer + ", scopes=" + scopes + "]";
  }
}
