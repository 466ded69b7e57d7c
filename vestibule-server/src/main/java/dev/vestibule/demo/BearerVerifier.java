package dev.vestibule.demo;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Checks access tokens the way an independent resource server would: signature against the issuer's
 * published JWKS (fetched over HTTP and cached), issuer, audience and expiry.
 */
final class BearerVerifier {
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  BearerVerifier(URI jwks, String issuer, String audience) {
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(jwks.toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), JOSEObjectType.JWT, null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti")));
  }

  /** The token's claims when it is valid now; blocking (the first call fetches the JWKS). */
  Optional<JWTClaimsSet> verify(String token) {
    try {
      return Optional.of(processor.process(token, null));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
