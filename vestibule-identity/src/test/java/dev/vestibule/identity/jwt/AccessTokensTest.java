package dev.vestibule.identity.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vestibule.identity.testing.IndependentJwtVerifier;
import dev.vestibule.identity.testing.MutableClock;
import dev.vestibule.identity.user.User;
import dev.vestibule.token.TokenRejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokensTest {
  private static final String ISSUER = "https://gateway.example.org";
  private static final Duration TTL = Duration.ofMinutes(30);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final User ada = new User("u-1", "Ada Lovelace", "ada@example.org", List.of("user", "admin"), clock.instant(), clock.instant());
  @TempDir Path dir;
  private SigningKeys keys;
  private AccessTokens tokens;

  @BeforeEach
  void setUp() {
    keys = new SigningKeys(new FileKeyStore(dir.resolve("keys.json")), clock, TTL);
    tokens = new AccessTokens(keys, ISSUER, TTL, clock);
  }

  @Test
  void jose4jVerifiesTheTokenAgainstTheJwksAndSeesEveryClaim() throws Exception {
    AccessTokens.Issued issued = tokens.issue(ada, "web");
    JwtClaims claims = IndependentJwtVerifier.verify(issued.token(), keys.jwksJson(), ISSUER, "web", clock.instant());

    assertThat(claims.getSubject()).isEqualTo("u-1");
    assertThat(claims.getAudience()).containsExactly("web");
    assertThat(claims.getIssuedAt().getValue()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(claims.getExpirationTime().getValue()).isEqualTo(clock.instant().plus(TTL).getEpochSecond());
    assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(claims.getJwtId()).isNotBlank();
    assertThat(claims.getStringListClaimValue("roles")).containsExactly("user", "admin");
    assertThat(claims.getStringClaimValue("client_id")).isEqualTo("web");
    assertThat(claims.getStringClaimValue("email")).isEqualTo("ada@example.org");
    assertThat(claims.getStringClaimValue("name")).isEqualTo("Ada Lovelace");
  }

  @Test
  void theHeaderNamesAlgorithmTypeAndKey() throws Exception {
    SignedJWT jwt = SignedJWT.parse(tokens.issue(ada, "web").token());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.signingKey().getKeyID());
  }

  @Test
  void everyTokenHasItsOwnId() {
    assertThat(tokens.verify(tokens.issue(ada, "web").token()).jwtId())
        .isNotEqualTo(tokens.verify(tokens.issue(ada, "web").token()).jwtId());
  }

  @Test
  void verifyReturnsTheClaims() {
    AccessTokenClaims claims = tokens.verify(tokens.issue(ada, "mobile").token());
    assertThat(claims.subject()).isEqualTo("u-1");
    assertThat(claims.audience()).isEqualTo("mobile");
    assertThat(claims.issuer()).isEqualTo(ISSUER);
    assertThat(claims.roles()).containsExactly("user", "admin");
    assertThat(claims.hasRole("admin")).isTrue();
    assertThat(claims.expiresAt()).isEqualTo(clock.instant().plus(TTL));
  }

  @Test
  void anExpiredTokenIsRejectedByBothImplementations() {
    String token = tokens.issue(ada, "web").token();
    clock.advance(TTL);
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(TokenRejectedException.class).hasMessageContaining("expired");
    assertThatThrownBy(() -> IndependentJwtVerifier.verify(token, keys.jwksJson(), ISSUER, "web", clock.instant()))
        .isInstanceOf(InvalidJwtException.class);
  }

  @Test
  void aTamperedTokenIsRejected() {
    String token = tokens.issue(ada, "web").token();
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"user\"", "\"root\"");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "." + parts[2];
    assertThatThrownBy(() -> tokens.verify(forged))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.error()).isEqualTo("invalid_token"));
  }

  @Test
  void aTokenSignedByAnotherKeyIsRejectedEvenWithAKnownKeyId() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(keys.signingKey().getKeyID()).generate();
    assertThatThrownBy(() -> tokens.verify(sign(stranger, "at+jwt", ISSUER))).hasMessageContaining("bad signature");
  }

  @Test
  void aTokenOfAnotherIssuerOrTypeIsRejected() throws Exception {
    ECKey ours = keys.signingKey();
    assertThatThrownBy(() -> tokens.verify(sign(ours, "at+jwt", "https://elsewhere.example.org"))).hasMessageContaining("someone else");
    assertThatThrownBy(() -> tokens.verify(sign(ours, "JWT", ISSUER))).hasMessageContaining("at+jwt");
  }

  @Test
  void garbageIsRejected() {
    assertThatThrownBy(() -> tokens.verify("not.a.jwt")).isInstanceOf(TokenRejectedException.class);
    assertThatThrownBy(() -> tokens.verify(null)).isInstanceOf(TokenRejectedException.class);
  }

  @Test
  void tokensSignedBeforeARotationStillVerifyUntilTheyExpire() throws Exception {
    String before = tokens.issue(ada, "web").token();
    keys.rotate();
    String after = tokens.issue(ada, "web").token();
    assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isNotEqualTo(SignedJWT.parse(before).getHeader().getKeyID());
    for (String token : List.of(before, after)) {
      assertThat(tokens.verify(token).subject()).isEqualTo("u-1");
      IndependentJwtVerifier.verify(token, keys.jwksJson(), ISSUER, "web", clock.instant());
    }
  }

  private SignedJWT signed(ECKey key, String type, String issuer) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("u-1").audience("web").jwtID("j")
        .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plus(TTL))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type))
        .keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt;
  }

  private String sign(ECKey key, String type, String issuer) throws Exception {
    return signed(key, type, issuer).serialize();
  }
}
