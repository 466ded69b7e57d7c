package dev.vestibule.builtin;

import java.time.Instant;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/** Verifies access tokens with jose4j, independent of the JOSE library that signs them, as a resource server would. */
final class Jwts {
  private Jwts() {}

  /** The claims of {@code jwt}, checked against the JWKS document {@code jwksJson}. */
  static JwtClaims verify(String jwt, String jwksJson, String issuer, String audience) throws InvalidJwtException {
    JsonWebKeySet keys;
    try {
      keys = new JsonWebKeySet(jwksJson);
    } catch (JoseException e) {
      throw new AssertionError("the JWKS document does not parse: " + jwksJson, e);
    }
    return new JwtConsumerBuilder()
        .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256")
        .setExpectedType(true, "at+jwt")
        .setExpectedIssuer(issuer)
        .setExpectedAudience(audience)
        .setRequireSubject()
        .setRequireExpirationTime()
        .setRequireIssuedAt()
        .setRequireJwtId()
        .setEvaluationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond()))
        .build()
        .processToClaims(jwt);
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
