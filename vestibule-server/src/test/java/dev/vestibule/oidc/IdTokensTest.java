package dev.vestibule.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.vestibule.token.ProviderUnavailableException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenID Connect Core §3.1.3.7 as the callback applies it, against a JWKS served over loopback. */
class IdTokensTest {
  private static final String ISSUER = "https://idp.example.com";
  private static final String NONCE = "the-nonce-of-this-login";

  private RSAKey key;
  private HttpServer jwks;
  private IdTokens idTokens;

  @BeforeEach
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks.createContext("/jwks", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    idTokens = new IdTokens(provider("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"), "web",
        Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    jwks.stop(0);
  }

  @Test
  void aTokenSignedByTheProviderForThisClientAndLoginIsAccepted() throws Exception {
    assertThat(idTokens.verify(sign(claims().build()), NONCE)).containsEntry("sub", "alice");
  }

  @Test
  void anotherLoginsNonceIsRefused() {
    assertRefused(sign(claims().build()), "another-nonce");
  }

  @Test
  void anotherAudienceIsRefused() {
    assertRefused(sign(claims().audience("someone-else").build()), NONCE);
  }

  @Test
  void anotherIssuerIsRefused() {
    assertRefused(sign(claims().issuer("https://evil.example").build()), NONCE);
  }

  @Test
  void anExpiredTokenIsRefused() {
    assertRefused(sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(600))).build()), NONCE);
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
    assertRefused(sign(claims().build(), new RSASSASigner(other), JWSAlgorithm.RS256), NONCE);
  }

  @Test
  void aTokenMacedWithASharedSecretIsRefused() throws Exception {
    assertRefused(sign(claims().build(), new MACSigner("a-secret-that-is-32-bytes-long-or-more!!"), JWSAlgorithm.HS256),
        NONCE);
  }

  @Test
  void severalAudiencesNeedThisClientAsAuthorizedParty() {
    assertRefused(sign(claims().audience(List.of("web", "api")).build()), NONCE);
    assertThat(idTokens.verify(sign(claims().audience(List.of("web", "api")).claim("azp", "web").build()), NONCE))
        .containsEntry("sub", "alice");
  }

  @Test
  void garbageIsRefused() {
    assertRefused("not-a-jwt", NONCE);
  }

  @Test
  void anUnreachableJwksMeansTheProviderIsUnavailable() {
    IdTokens unreachable = new IdTokens(provider("http://127.0.0.1:1/jwks"), "web", Duration.ofSeconds(1));

    assertThatThrownBy(() -> unreachable.verify(sign(claims().build()), NONCE))
        .isInstanceOf(ProviderUnavailableException.class);
  }

  private void assertRefused(String token, String nonce) {
    assertThatThrownBy(() -> idTokens.verify(token, nonce)).isInstanceOf(IdTokens.InvalidIdTokenException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(NONCE).doesNotContain("eyJ"));
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience("web")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("nonce", NONCE);
  }

  private String sign(JWTClaimsSet claims) {
    try {
      return sign(claims, new RSASSASigner(key), JWSAlgorithm.RS256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String sign(JWTClaimsSet claims, JWSSigner signer, JWSAlgorithm alg) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID("k1").type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProviderMetadata provider(String jwksUri) {
    return new ProviderMetadata(ISSUER, URI.create(ISSUER + "/authorize"), URI.create(ISSUER + "/token"),
        URI.create(jwksUri), Optional.empty(), Optional.empty(), List.of("RS256", "HS256"), false);
  }
}
