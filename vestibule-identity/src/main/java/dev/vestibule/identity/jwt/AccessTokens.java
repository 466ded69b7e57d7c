package dev.vestibule.identity.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.identity.user.User;
import dev.vestibule.token.TokenRejectedException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signed JWT access tokens in the shape of RFC 9068: header {@code typ: at+jwt}, claims {@code iss sub aud
 * client_id iat exp jti roles}, plus {@code name} and {@code email} for display.
 */
public final class AccessTokens {
  public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  private final SigningKeys keys;
  private final String issuer;
  private final Duration ttl;
  private final Clock clock;

  public AccessTokens(SigningKeys keys, String issuer, Duration ttl, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.ttl = ttl;
    this.clock = clock;
  }

  public String issuer() {
    return issuer;
  }

  /** A new access token for {@code user}, addressed to {@code clientId}. */
  public Issued issue(User user, String clientId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(ttl);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(user.id())
        .audience(clientId)
        .claim("client_id", clientId)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expiresAt))
        .jwtID(UUID.randomUUID().toString())
        .claim("roles", user.roles())
        .claim("name", user.name())
        .claim("email", user.email())
        .build();
    ECKey key = keys.signingKey();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKeys.ALGORITHM).type(TYPE).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return new Issued(jwt.serialize(), expiresAt);
  }

  /**
   * Checks signature, type, issuer and expiry of {@code token} and returns its claims.
   *
   * @throws TokenRejectedException {@code invalid_token} when any check fails
   */
  public AccessTokenClaims verify(String token) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token == null ? "" : token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw rejected("not a signed JWT");
    }
    JWSHeader header = jwt.getHeader();
    if (!SigningKeys.ALGORITHM.equals(header.getAlgorithm())) throw rejected("unexpected algorithm " + header.getAlgorithm());
    if (!TYPE.equals(header.getType())) throw rejected("not an access token (typ must be at+jwt)");
    ECKey key = keys.verificationKey(header.getKeyID()).orElseThrow(() -> rejected("unknown signing key"));
    try {
      if (!jwt.verify(new ECDSAVerifier(key))) throw rejected("bad signature");
    } catch (JOSEException e) {
      throw rejected("bad signature");
    }
    if (!issuer.equals(claims.getIssuer())) throw rejected("issued by someone else");
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !clock.instant().isBefore(expiry.toInstant())) throw rejected("expired");
    List<String> audience = claims.getAudience();
    if (claims.getSubject() == null || audience.size() != 1 || claims.getIssueTime() == null || claims.getJWTID() == null) {
      throw rejected("missing claims");
    }
    return new AccessTokenClaims(claims.getIssuer(), claims.getSubject(), audience.get(0), stringList(claims, "roles"),
        stringClaim(claims, "name"), stringClaim(claims, "email"), claims.getIssueTime().toInstant(), expiry.toInstant(),
        claims.getJWTID());
  }

  private static List<String> stringList(JWTClaimsSet claims, String name) {
    try {
      List<String> values = claims.getStringListClaim(name);
      return values == null ? List.of() : values;
    } catch (ParseException e) {
      throw rejected(name + " is not a list of strings");
    }
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    try {
      return Optional.ofNullable(claims.getStringClaim(name)).orElse("");
    } catch (ParseException e) {
      throw rejected(name + " is not a string");
    }
  }

  private static TokenRejectedException rejected(String why) {
    return new TokenRejectedException("invalid_token", why);
  }

  /** A signed access token and when it expires. */
  public record Issued(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[token=redacted, expiresAt=" + expiresAt + "]";
    }
  }
}
