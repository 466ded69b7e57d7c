package dev.vestibule.builtin;

import dev.vestibule.identity.testing.IndependentJwtVerifier;
import java.time.Instant;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/** Access tokens as a resource server with another JOSE library (jose4j) sees them. */
final class Jwts {
  private Jwts() {}

  /** The claims of {@code jwt}, checked now against the JWKS document {@code jwksJson}. */
  static JwtClaims verify(String jwt, String jwksJson, String issuer, String audience) throws InvalidJwtException {
    return IndependentJwtVerifier.verify(jwt, jwksJson, issuer, audience, Instant.now());
  }

  /** The claims of {@code jwt} without any check, to compare tokens (their jti) in tests. */
  static JwtClaims peek(String jwt) {
    try {
      return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
          .build().processToClaims(jwt);
    } catch (InvalidJwtException e) {
      throw new AssertionError("not a JWT: " + jwt, e);
    }
  }
}
