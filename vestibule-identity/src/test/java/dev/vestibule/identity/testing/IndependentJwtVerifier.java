package dev.vestibule.identity.testing;

import java.time.Instant;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/** Verifies access tokens with jose4j, a JOSE implementation independent of the one that signs them. */
public final class IndependentJwtVerifier {
  private IndependentJwtVerifier() {}

  /** The claims of {@code jwt} after checking it against {@code jwksJson} as a resource server would. */
  public static JwtClaims verify(String jwt, String jwksJson, String issuer, String audience, Instant at)
      throws InvalidJwtException {
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
        .setEvaluationTime(NumericDate.fromSeconds(at.getEpochSecond()))
        .build()
        .processToClaims(jwt);
  }
}
