package dev.vestibule.blackbox;

import static dev.vestibule.blackbox.Problems.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 "so that other gateways and APIs can use it": {@code POST /oauth/token} (password and refresh_token
 * grants, RFC 6749), {@code POST /oauth/revoke} (RFC 7009), JWKS and openid-configuration; §6 access and refresh
 * tokens. Default settings: accessTokenTtl 30m, refresh.grace 60s.
 */
class OAuthEndpointsTest extends DefaultStackTest {
  static Stack.User ada;
  static String issuer;

  @BeforeAll
  static void start() {
    ada = stack.register("Ada");
    issuer = "http://127.0.0.1:" + stack.port();
  }

  // "POST /oauth/token (password ... grant)": RFC 6749 §5.1 answer.
  @Test
  void thePasswordGrantAnswersBearerTokensThatAreNotCached() {
    Http.Answer answer = OAuth.password(stack, ada.email(), ada.password());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.header("Cache-Control")).contains("no-store");
    JsonObject body = answer.json();
    assertThat(body.getString("token_type")).isEqualToIgnoringCase("Bearer");
    assertThat(body.getString("access_token")).startsWith("eyJ");
    assertThat(body.getString("refresh_token")).isNotBlank();
    // accessTokenTtl: 30m by default
    assertThat(body.getLong("expires_in")).isBetween(1790L, 1800L);
  }

  // §6 "Access tokens: signed JWTs (sub, iat, exp, iss, aud, jti, roles)"; §2 "a token's aud is its client id";
  // "links in mails and the issuer use it [publicUrl]".
  @Test
  void theAccessTokenCarriesTheSpecifiedClaims() {
    String jwt = OAuth.tokens(stack, ada.email(), ada.password()).getString("access_token");
    JsonObject claims = OAuth.claims(jwt);
    assertThat(claims.getValue("sub").toString()).isEqualTo(ada.json().getJsonObject("user").getValue("id").toString());
    assertThat(claims.getString("iss")).isEqualTo(issuer);
    Object aud = claims.getValue("aud");
    assertThat(aud instanceof JsonArray array ? array.getList() : java.util.List.of(aud)).containsExactly("web");
    assertThat(claims.getString("jti")).isNotBlank();
    assertThat(claims.containsKey("roles")).isTrue();
    long iat = claims.getLong("iat");
    long exp = claims.getLong("exp");
    assertThat(exp - iat).isEqualTo(1800);
    assertThat(iat).isBetween(System.currentTimeMillis() / 1000 - 30, System.currentTimeMillis() / 1000 + 30);
    String other = OAuth.tokens(stack, ada.email(), ada.password()).getString("access_token");
    assertThat(OAuth.claims(other).getString("jti")).isNotEqualTo(claims.getString("jti"));
  }

  // "keys published in JWKS": the access token verifies with the published key of its kid.
  @Test
  void theAccessTokenVerifiesWithThePublishedJwks() throws Exception {
    String jwt = OAuth.tokens(stack, ada.email(), ada.password()).getString("access_token");
    Http.Answer jwks = stack.browser().get("/.well-known/jwks.json");
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.header("Content-Type")).startsWith("application/json");
    JWKSet set = JWKSet.parse(jwks.body());
    assertThat(set.getKeys()).isNotEmpty();
    for (JWK key : set.getKeys()) {
      assertThat(key.isPrivate()).as("a private key published: " + key.getKeyID()).isFalse();
      assertThat(key.getKeyID()).isNotBlank();
    }
    JWSObject jws = JWSObject.parse(jwt);
    JWK key = set.getKeyByKeyId(jws.getHeader().getKeyID());
    assertThat(key).as("kid " + jws.getHeader().getKeyID() + " in JWKS").isNotNull();
    var verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(),
        key.getKeyType().getValue().equals("EC") ? key.toECKey().toPublicKey() : key.toRSAKey().toPublicKey());
    assertThat(jws.verify(verifier)).isTrue();
    assertThat(jwks.body()).doesNotContain("\"d\"");
  }

  // "GET /.well-known/openid-configuration"
  @Test
  void theOpenidConfigurationNamesTheIssuerAndTheEndpoints() {
    Http.Answer answer = stack.browser().get("/.well-known/openid-configuration");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject doc = answer.json();
    assertThat(doc.getString("issuer")).isEqualTo(issuer);
    assertThat(doc.getString("token_endpoint")).isEqualTo(issuer + "/oauth/token");
    assertThat(doc.getString("revocation_endpoint")).isEqualTo(issuer + "/oauth/revoke");
    assertThat(doc.getString("jwks_uri")).isEqualTo(issuer + "/.well-known/jwks.json");
    assertThat(doc.getJsonArray("grant_types_supported").getList()).contains("password", "refresh_token");
    String jwt = OAuth.tokens(stack, ada.email(), ada.password()).getString("access_token");
    assertThat(OAuth.claims(jwt).getString("iss")).isEqualTo(doc.getString("issuer"));
  }

  // RFC 6749 §5.2: wrong credentials → 400 invalid_grant; the same for an unknown user (SPEC §3 no enumeration).
  @Test
  void wrongCredentialsGetInvalidGrantAlikeForKnownAndUnknownUsers() {
    Http.Answer wrong = OAuth.password(stack, ada.email(), "not the password at all");
    Http.Answer unknown = OAuth.password(stack, Stack.freshEmail("ghost"), "not the password at all");
    assertOAuthError(wrong, 400, "invalid_grant");
    assertOAuthError(unknown, 400, "invalid_grant");
    assertThat(unknown.body()).isEqualTo(wrong.body());
  }

  // "clients: OAuth2 clients of /oauth/token: id, optional secret": an unknown client is refused.
  @Test
  void anUnknownClientGetsInvalidClient() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", ada.email());
    form.put("password", ada.password());
    form.put("client_id", "nobody");
    Http.Answer answer = stack.browser().postForm("/oauth/token", form);
    assertThat(answer.status()).isIn(400, 401);
    assertOAuthError(answer, answer.status(), "invalid_client");
  }

  // A confidential client authenticates with its secret (client_secret_basic); aud is its id.
  @Test
  void aConfidentialClientNeedsItsSecretAndGetsItsOwnAudience() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", ada.email());
    form.put("password", ada.password());
    String good = Base64.getEncoder().encodeToString("partner:partner-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    String bad = Base64.getEncoder().encodeToString("partner:wrong-secret".getBytes(StandardCharsets.UTF_8));
    Http.Answer ok = stack.browser().postForm("/oauth/token", form, "Authorization", "Basic " + good);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(OAuth.claims(ok.json().getString("access_token")).getValue("aud").toString()).contains("partner");
    assertOAuthError(stack.browser().postForm("/oauth/token", form, "Authorization", "Basic " + bad), 401, "invalid_client");
    form.put("client_id", "partner");
    Http.Answer noSecret = stack.browser().postForm("/oauth/token", form);
    assertThat(noSecret.status()).isIn(400, 401);
    assertOAuthError(noSecret, noSecret.status(), "invalid_client");
  }

  // "(password and refresh_token grants)": others are unsupported (RFC 6749 §5.2).
  @Test
  void otherGrantTypesAreUnsupported() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", "web");
    assertOAuthError(stack.browser().postForm("/oauth/token", form), 400, "unsupported_grant_type");
    form.remove("grant_type");
    assertOAuthError(stack.browser().postForm("/oauth/token", form), 400, "invalid_request");
  }

  // §6 "Refresh tokens: opaque, ... rotated on every use"
  @Test
  void theRefreshGrantRotatesAnOpaqueRefreshToken() {
    JsonObject first = OAuth.tokens(stack, ada.email(), ada.password());
    String refresh = first.getString("refresh_token");
    assertThat(refresh).doesNotStartWith("eyJ");
    Http.Answer answer = OAuth.refresh(stack, refresh);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.header("Cache-Control")).contains("no-store");
    JsonObject second = answer.json();
    assertThat(second.getString("refresh_token")).isNotBlank().isNotEqualTo(refresh);
    assertThat(second.getString("access_token")).isNotEqualTo(first.getString("access_token"));
    assertThat(OAuth.claims(second.getString("access_token")).getValue("sub"))
        .isEqualTo(OAuth.claims(first.getString("access_token")).getValue("sub"));
    assertThat(OAuth.refresh(stack, second.getString("refresh_token")).status()).isEqualTo(200);
  }

  // "within it [refresh.grace], it is not treated as theft and answers with the family's current refresh token
  // and a fresh access token."
  @Test
  void reusingARotatedRefreshTokenWithinTheGraceGivesTheFamilysCurrentTokenAndAFreshAccessToken() {
    String original = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    JsonObject rotated = OAuth.refresh(stack, original).json();
    Http.Answer late = OAuth.refresh(stack, original);
    assertThat(late.status()).as(late.toString()).isEqualTo(200);
    assertThat(late.json().getString("refresh_token")).isEqualTo(rotated.getString("refresh_token"));
    assertThat(OAuth.claims(late.json().getString("access_token")).getString("jti"))
        .isNotEqualTo(OAuth.claims(rotated.getString("access_token")).getString("jti"));
    // not treated as theft: the family goes on
    assertThat(OAuth.refresh(stack, rotated.getString("refresh_token")).status()).isEqualTo(200);
  }

  @Test
  void aMadeUpRefreshTokenGetsInvalidGrant() {
    assertOAuthError(OAuth.refresh(stack, "made-up-refresh-token"), 400, "invalid_grant");
  }

  // RFC 6749 §6: a refresh token is bound to the client it was issued to.
  @Test
  void aRefreshTokenOfOneClientIsRefusedForAnother() {
    String refresh = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refresh);
    String partner = Base64.getEncoder().encodeToString("partner:partner-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    assertOAuthError(stack.browser().postForm("/oauth/token", form, "Authorization", "Basic " + partner), 400, "invalid_grant");
  }

  // "POST /oauth/revoke" (RFC 7009): 200, and the revoked refresh token no longer works.
  @Test
  void aRevokedRefreshTokenNoLongerWorks() {
    String refresh = OAuth.tokens(stack, ada.email(), ada.password()).getString("refresh_token");
    Http.Answer answer = OAuth.revoke(stack, refresh);
    assertThat(answer.status()).isEqualTo(200);
    assertOAuthError(OAuth.refresh(stack, refresh), 400, "invalid_grant");
  }

  // RFC 7009 §2.2: "invalid tokens do not cause an error response".
  @Test
  void revokingAnUnknownTokenStillAnswers200() {
    assertThat(OAuth.revoke(stack, "no-such-token").status()).isEqualTo(200);
  }

  // §3 "Never a stack trace, never a token": a malformed request gets an RFC 6749 error.
  @Test
  void aJsonBodyInsteadOfAFormGetsAnOAuthError() {
    Http.Answer answer = stack.browser().postJson("/oauth/token",
        new JsonObject().put("grant_type", "password").put("username", ada.email()).put("password", ada.password()));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().getString("error")).isNotBlank();
  }
}
