package dev.vestibule.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.vestibule.token.ProviderUnavailableException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an ID token (OpenID Connect Core §3.1.3.7): signed by a key of the provider's JWKS with an asymmetric
 * algorithm it announced, issued by the configured issuer for this client, unexpired, and carrying the nonce of
 * this browser's login. Blocking (the JWKS is fetched, then cached, on first use or an unknown key id).
 */
public final class IdTokens {
  /** Asymmetric algorithms only: with HS256 the client secret would become a signing key anyone holding it could use. */
  private static final List<JWSAlgorithm> ACCEPTED = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
      JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

  /** The ID token said no: bad signature, wrong issuer or audience, expired, or another login's nonce. */
  public static final class InvalidIdTokenException extends RuntimeException {
    private final String error;

    InvalidIdTokenException(String message) {
      this("invalid-id-token", message);
    }

    InvalidIdTokenException(String error, String message) {
      super(message, null, false, false);
      this.error = error;
    }

    /** What the browser is told: {@code invalid-id-token}, or {@code userinfo-mismatch}. */
    public String error() {
      return error;
    }
  }

  private final String issuer;
  private final String clientId;
  private final Set<JWSAlgorithm> algorithms;
  private final JWKSource<SecurityContext> keys;

  public IdTokens(ProviderMetadata provider, String clientId, Duration timeout) {
    this.issuer = provider.issuer();
    this.clientId = clientId;
    Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
    for (JWSAlgorithm alg : ACCEPTED) {
      if (provider.idTokenAlgorithms().isEmpty() || provider.idTokenAlgorithms().contains(alg.getName())) allowed.add(alg);
    }
    // Discovery requires RS256 support of every provider; an empty intersection means a provider signing only HS*.
    this.algorithms = allowed.isEmpty() ? Set.of(JWSAlgorithm.RS256) : Set.copyOf(allowed);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try {
      this.keys = JWKSourceBuilder.<SecurityContext>create(provider.jwksUri().toURL(),
          new DefaultResourceRetriever(millis, millis, 512 * 1024)).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("jwks_uri is not a URL", e);
    }
  }

  /** The verified claims; {@link InvalidIdTokenException} or, when the JWKS cannot be fetched, {@link ProviderUnavailableException}. */
  public Map<String, Object> verify(String idToken, String nonce) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
        new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build(), Set.of("sub", "exp", "iat")));
    try {
      JWTClaimsSet claims = processor.process(idToken, null);
      // Core §3.1.3.7 (4, 5): a token for several audiences names the one it was issued to.
      if (claims.getAudience().size() > 1 && !clientId.equals(claims.getStringClaim("azp"))) {
        throw new InvalidIdTokenException("the ID token has several audiences and its azp is not this client");
      }
      return claims.getClaims();
    } catch (KeySourceException e) {
      throw new ProviderUnavailableException("the provider's JWKS could not be fetched", null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      // Names the failed check (aud, exp, signature) and never the token; nonces stay out of logs as well.
      String reason = String.valueOf(e.getMessage());
      throw new InvalidIdTokenException(reason.contains("nonce") ? "the nonce is not this login's" : reason);
    }
  }
}
