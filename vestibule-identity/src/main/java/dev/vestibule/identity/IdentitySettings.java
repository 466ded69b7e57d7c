package dev.vestibule.identity;

import dev.vestibule.identity.password.Argon2Params;
import dev.vestibule.identity.password.HashingPool;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the built-in identity needs to open. Build with {@link #builder(String, URI)}; every other value has
 * the default of SPEC §2.
 *
 * @param databaseUrl {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://host:port/db?user=...}
 * @param issuer the gateway's public URL: {@code iss} of every token, base of the endpoint URLs it publishes
 * @param refreshGrace how long a rotated refresh token is still answered (with the family's current token)
 * @param keyFile where the signing keys live: empty keeps them in the database (shared by every instance)
 * @param argon2 cost of new password hashes; keep {@link Argon2Params#OWASP} outside tests
 * @param defaultRoles the roles of a newly registered user
 * @param magicLinkTtl how long a mailed login link works
 * @param mfaCodeTtl how long a mailed login code works
 */
public record IdentitySettings(String databaseUrl, URI issuer, Duration accessTokenTtl, Duration refreshTokenTtl,
    Duration refreshGrace, Duration resetTtl, List<OAuthClient> clients, Optional<Path> keyFile, Argon2Params argon2,
    HashingPool hashing, List<String> defaultRoles, Duration magicLinkTtl, Duration mfaCodeTtl) {

  public IdentitySettings {
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(issuer, "issuer");
    if (!issuer.isAbsolute()) throw new IllegalArgumentException("issuer must be an absolute URL");
    positive(accessTokenTtl, "accessTokenTtl");
    positive(refreshTokenTtl, "refreshTokenTtl");
    Objects.requireNonNull(refreshGrace, "refreshGrace");
    if (refreshGrace.isNegative()) throw new IllegalArgumentException("refreshGrace must not be negative");
    positive(resetTtl, "resetTtl");
    clients = List.copyOf(clients);
    if (clients.isEmpty()) throw new IllegalArgumentException("at least one client is needed");
    if (new HashSet<>(clients.stream().map(OAuthClient::id).toList()).size() != clients.size()) {
      throw new IllegalArgumentException("client ids must be unique");
    }
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(argon2, "argon2");
    Objects.requireNonNull(hashing, "hashing");
    defaultRoles = List.copyOf(defaultRoles);
    positive(magicLinkTtl, "magicLinkTtl");
    positive(mfaCodeTtl, "mfaCodeTtl");
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
  }

  /** The issuer as it appears in tokens: the public URL without a trailing slash. */
  public String issuerId() {
    String s = issuer.toString();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }

  public static Builder builder(String databaseUrl, URI issuer) {
    return new Builder(databaseUrl, issuer);
  }

  public static final class Builder {
    private final String databaseUrl;
    private final URI issuer;
    private Duration accessTokenTtl = Duration.ofMinutes(30);
    private Duration refreshTokenTtl = Duration.ofDays(7);
    private Duration refreshGrace = Duration.ofSeconds(60);
    private Duration resetTtl = Duration.ofMinutes(30);
    private List<OAuthClient> clients = List.of(OAuthClient.publicClient("web"));
    private Optional<Path> keyFile = Optional.empty();
    private Argon2Params argon2 = Argon2Params.OWASP;
    private HashingPool hashing = HashingPool.defaults();
    private List<String> defaultRoles = List.of("user");
    private Duration magicLinkTtl = Duration.ofMinutes(15);
    private Duration mfaCodeTtl = Duration.ofMinutes(10);

    private Builder(String databaseUrl, URI issuer) {
      this.databaseUrl = databaseUrl;
      this.issuer = issuer;
    }

    public Builder accessTokenTtl(Duration value) {
      accessTokenTtl = value;
      return this;
    }

    public Builder refreshTokenTtl(Duration value) {
      refreshTokenTtl = value;
      return this;
    }

    public Builder refreshGrace(Duration value) {
      refreshGrace = value;
      return this;
    }

    public Builder resetTtl(Duration value) {
      resetTtl = value;
      return this;
    }

    public Builder clients(List<OAuthClient> value) {
      clients = value;
      return this;
    }

    /** Keeps the signing keys in this JWK set file instead of the database. */
    public Builder keyFile(Path value) {
      keyFile = Optional.of(value);
      return this;
    }

    public Builder argon2(Argon2Params value) {
      argon2 = value;
      return this;
    }

    public Builder hashing(HashingPool value) {
      hashing = value;
      return this;
    }

    public Builder defaultRoles(List<String> value) {
      defaultRoles = value;
      return this;
    }

    public Builder magicLinkTtl(Duration value) {
      magicLinkTtl = value;
      return this;
    }

    public Builder mfaCodeTtl(Duration value) {
      mfaCodeTtl = value;
      return this;
    }

    public IdentitySettings build() {
      return new IdentitySettings(databaseUrl, issuer, accessTokenTtl, refreshTokenTtl, refreshGrace, resetTtl, clients,
          keyFile, argon2, hashing, defaultRoles, magicLinkTtl, mfaCodeTtl);
    }
  }

  @Override
  public String toString() {
    // The database URL may carry a password.
    String db = databaseUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    return "IdentitySettings[databaseUrl=" + db + ", issuer=" + issuer + ", accessTokenTtl=" + accessTokenTtl
        + ", refreshTokenTtl=" + refreshTokenTtl + ", refreshGrace=" + refreshGrace + ", resetTtl=" + resetTtl
        + ", magicLinkTtl=" + magicLinkTtl + ", mfaCodeTtl=" + mfaCodeTtl
        + ", clients=" + clients + ", keyFile=" + keyFile + ", argon2=" + argon2 + ", hashing=" + hashing
        + ", defaultRoles=" + defaultRoles + "]";
  }
}
