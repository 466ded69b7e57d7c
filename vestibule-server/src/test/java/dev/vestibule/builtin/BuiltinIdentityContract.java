package dev.vestibule.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.testing.Browser;
import dev.vestibule.identity.testing.TestDatabase;
import dev.vestibule.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Registration, login and the OAuth2 endpoints of the built-in identity, over HTTP, on one gateway per database
 * (SPEC §3, §6, §7). Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BuiltinIdentityContract {
  static final String PUBLIC_URL = "http://localhost:8080";

  private TestDatabase database;
  TestGateway gateway;
  OAuthCalls oauth;

  /** The database this run uses; closed (a PostgreSQL schema dropped) after the class. */
  abstract TestDatabase openDatabase();

  @BeforeAll
  void start() {
    database = openDatabase();
    gateway = new BuiltinYaml(database.url()).publicUrl(PUBLIC_URL)
        .identity("accessTokenTtl: 5m")
        .section("refresh:\n  grace: 1s\n")
        .start();
    oauth = new OAuthCalls(gateway.url(""));
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (database != null) database.close();
  }

  Browser browser() {
    return new Browser(gateway.url(""));
  }

  /** Registers a fresh user through a browser of its own; returns the user's address. */
  String registeredUser(String name) {
    String email = Users.freshEmail(name);
    assertThat(Users.register(browser(), name, email, Users.PASSWORD).status()).isEqualTo(201);
    return email;
  }

  // ---- registration ----

  @Test
  void registeringAnswers201WithTheUserAndLogsIn() {
    Browser browser = browser();
    String email = Users.freshEmail("ada");

    Browser.Response registered = Users.register(browser, "Ada Lovelace", email, Users.PASSWORD);

    assertThat(registered.status()).isEqualTo(201);
    JsonObject user = registered.json().getJsonObject("user");
    assertThat(user.getString("id")).isNotBlank();
    assertThat(user.getString("name")).isEqualTo("Ada Lovelace");
    assertThat(user.getString("email")).isEqualTo(email);
    assertThat(registered.setCookie("vestibule")).contains("HttpOnly");
    assertThat(registered.setCookie("vestibule-csrf")).isNotNull();
    assertThat(registered.body()).doesNotContain(Users.PASSWORD).doesNotContain("access_token");

    Browser.Response session = browser.get("/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getJsonObject("user").getString("id")).isEqualTo(user.getString("id"));
    assertThat(session.json().getJsonObject("user").getString("email")).isEqualTo(email);
  }

  @Test
  void aWeakPasswordIsRefusedWith400AndAFieldError() {
    for (String weak : List.of("short-pw-11", "password1234", "PASSWORD1234")) {
      Browser browser = browser();
      Browser.Response answer = Users.register(browser, "Bob", Users.freshEmail("bob"), weak);

      assertProblem(answer, 400);
      assertThat(fieldErrors(answer)).as("password %s", weak).containsExactly("password");
      assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message")).isNotBlank();
      assertThat(answer.setCookie("vestibule")).isNull();
      assertThat(browser.get("/auth/session").status()).isEqualTo(401);
    }
  }

  @Test
  void aBadEmailIsRefusedWith400AndAFieldError() {
    for (String bad : List.of("not-an-email", "two@@example.org", "no-domain@", "spaces in@example.org")) {
      Browser.Response answer = Users.register(browser(), "Carol", bad, Users.PASSWORD);

      assertProblem(answer, 400);
      assertThat(fieldErrors(answer)).as("email %s", bad).containsExactly("email");
    }
  }

  @Test
  void everyBadFieldIsNamedAtOnce() {
    Browser.Response answer = Users.register(browser(), "", "nope", "short");

    assertProblem(answer, 400);
    assertThat(fieldErrors(answer)).containsExactlyInAnyOrder("name", "email", "password");
  }

  @Test
  void aTakenEmailIs409InAnyLetterCase() {
    String email = registeredUser("dora");

    Browser.Response same = Users.register(browser(), "Dora Again", email, Users.PASSWORD);
    Browser.Response upper = Users.register(browser(), "Dora Upper", email.toUpperCase(), Users.PASSWORD);

    assertProblem(same, 409);
    assertProblem(upper, 409);
    assertThat(fieldErrors(upper)).containsExactly("email");
    assertThat(upper.setCookie("vestibule")).isNull();
  }

  @Test
  void onceASessionExistsRegisteringNeedsTheCsrfHeader() {
    Browser browser = browser();
    assertThat(Users.register(browser, "Eve", Users.freshEmail("eve"), Users.PASSWORD).status()).isEqualTo(201);

    String another = Users.freshEmail("eve-two");
    Browser.Response withoutHeader = Users.register(browser, "Eve Two", another, Users.PASSWORD);
    Browser.Response wrongHeader = browser.post("/auth/register", Users.registration("Eve Two", another, Users.PASSWORD),
        "X-CSRF-Token", "not-the-token");

    assertProblem(withoutHeader, 403);
    assertProblem(wrongHeader, 403);
    // With the header it works, so nothing was created before: the address was still free.
    Browser.Response withHeader = browser.post("/auth/register", Users.registration("Eve Two", another, Users.PASSWORD),
        "X-CSRF-Token", browser.csrf());
    assertThat(withHeader.status()).isEqualTo(201);
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getString("email")).isEqualTo(another);
  }

  // ---- login ----

  @Test
  void aRegisteredUserLogsInAtAuthLogin() {
    String email = registeredUser("fay");
    Browser browser = browser();

    Browser.Response login = browser.post("/auth/login", Users.credentials(email.toUpperCase(), Users.PASSWORD));

    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(login.setCookie("vestibule")).isNotNull();
    assertThat(browser.get("/auth/session").json().getJsonObject("user").getString("email")).isEqualTo(email);
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
    String email = registeredUser("gus");

    Browser.Response wrongPassword = browser().post("/auth/login", Users.credentials(email, "not-" + Users.PASSWORD));
    Browser.Response unknownEmail = browser().post("/auth/login", Users.credentials(Users.freshEmail("nobody"), Users.PASSWORD));

    assertProblem(wrongPassword, 401);
    assertThat(unknownEmail.status()).isEqualTo(wrongPassword.status());
    assertThat(unknownEmail.body()).isEqualTo(wrongPassword.body());
    assertThat(unknownEmail.header("Content-Type")).isEqualTo(wrongPassword.header("Content-Type"));
    assertThat(wrongPassword.setCookie("vestibule")).isNull();
  }

  // ---- /oauth/token ----

  @Test
  void thePasswordGrantWithHttpBasicIssuesAJwtAndARefreshToken() throws Exception {
    String email = registeredUser("hal");

    Browser.Response answer = oauth.password(email, Users.PASSWORD);

    assertTokenAnswer(answer);
    JwtClaims claims = verify(answer.json().getString("access_token"), BuiltinYaml.GW2);
    assertThat(claims.getClaimValue("email")).isEqualTo(email);
    assertThat(answer.json().getLong("expires_in")).isBetween(290L, 300L);
  }

  @Test
  void thePasswordGrantAcceptsClientSecretPost() throws Exception {
    String email = registeredUser("ida");

    Browser.Response answer = oauth.token(OAuthCalls.form("grant_type", "password", "username", email,
        "password", Users.PASSWORD, "client_id", BuiltinYaml.GW2, "client_secret", BuiltinYaml.GW2_SECRET));

    assertTokenAnswer(answer);
    verify(answer.json().getString("access_token"), BuiltinYaml.GW2);
  }

  @Test
  void aPublicClientNeedsNoSecretAndGetsTokensForItsOwnAudience() throws Exception {
    String email = registeredUser("jon");

    Browser.Response answer = oauth.token(OAuthCalls.form("grant_type", "password", "username", email,
        "password", Users.PASSWORD, "client_id", BuiltinYaml.WEB));

    assertTokenAnswer(answer);
    assertThat(verify(answer.json().getString("access_token"), BuiltinYaml.WEB).getAudience()).containsExactly(BuiltinYaml.WEB);
  }

  @Test
  void aWrongOrUnknownClientIs401InvalidClient() {
    String form = OAuthCalls.form("grant_type", "password", "username", "x@example.org", "password", Users.PASSWORD);

    List<Browser.Response> answers = List.of(
        oauth.token(form, OAuthCalls.basic(BuiltinYaml.GW2, "wrong-secret")),
        oauth.token(form, OAuthCalls.basic("stranger", BuiltinYaml.GW2_SECRET)),
        oauth.token(form + "&" + OAuthCalls.form("client_id", BuiltinYaml.GW2, "client_secret", "wrong-secret")),
        oauth.token(form + "&" + OAuthCalls.form("client_id", BuiltinYaml.GW2)));

    for (Browser.Response answer : answers) {
      assertOAuthError(answer, 401, "invalid_client");
    }
  }

  @Test
  void aWrongPasswordOrUnknownUserIs400InvalidGrant() {
    String email = registeredUser("kim");

    Browser.Response wrongPassword = oauth.password(email, "not-" + Users.PASSWORD);
    Browser.Response unknownUser = oauth.password(Users.freshEmail("nobody"), Users.PASSWORD);

    assertOAuthError(wrongPassword, 400, "invalid_grant");
    assertOAuthError(unknownUser, 400, "invalid_grant");
    assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
  }

  @Test
  void anUnsupportedGrantIs400UnsupportedGrantType() {
    for (String grant : List.of("client_credentials", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code")) {
      Browser.Response answer = oauth.token(OAuthCalls.form("grant_type", grant), OAuthCalls.gw2Basic());
      assertOAuthError(answer, 400, "unsupported_grant_type");
    }
  }

  @Test
  void aRequestMissingAParameterIs400InvalidRequest() {
    assertOAuthError(oauth.token(OAuthCalls.form("username", "x@example.org", "password", Users.PASSWORD),
        OAuthCalls.gw2Basic()), 400, "invalid_request");
    assertOAuthError(oauth.token(OAuthCalls.form("grant_type", "password", "username", "x@example.org"),
        OAuthCalls.gw2Basic()), 400, "invalid_request");
    assertOAuthError(oauth.token(OAuthCalls.form("grant_type", "refresh_token"), OAuthCalls.gw2Basic()), 400,
        "invalid_request");
  }

  @Test
  void aRefreshTokenWorksOnlyForTheClientItWasIssuedTo() {
    String email = registeredUser("uma");
    String ofWeb = oauth.token(OAuthCalls.form("grant_type", "password", "username", email, "password", Users.PASSWORD,
        "client_id", BuiltinYaml.WEB)).json().getString("refresh_token");

    assertOAuthError(oauth.refresh(ofWeb), 400, "invalid_grant");
  }

  @Test
  void theRefreshGrantRotatesTheRefreshToken() throws Exception {
    Browser.Response login = oauth.password(registeredUser("leo"), Users.PASSWORD);
    String first = login.json().getString("refresh_token");

    Browser.Response refreshed = oauth.refresh(first);

    assertTokenAnswer(refreshed);
    String second = refreshed.json().getString("refresh_token");
    assertThat(second).isNotEqualTo(first);
    JwtClaims before = verify(login.json().getString("access_token"), BuiltinYaml.GW2);
    JwtClaims after = verify(refreshed.json().getString("access_token"), BuiltinYaml.GW2);
    assertThat(after.getJwtId()).isNotEqualTo(before.getJwtId());
    assertThat(after.getSubject()).isEqualTo(before.getSubject());
    assertTokenAnswer(oauth.refresh(second));
  }

  @Test
  void aRotatedTokenReusedWithinTheGraceGetsTheFamilysCurrentToken() throws Exception {
    Browser.Response login = oauth.password(registeredUser("mia"), Users.PASSWORD);
    String first = login.json().getString("refresh_token");
    Browser.Response rotated = oauth.refresh(first);
    String current = rotated.json().getString("refresh_token");

    Browser.Response late = oauth.refresh(first);

    assertTokenAnswer(late);
    assertThat(late.json().getString("refresh_token")).isEqualTo(current);
    assertThat(verify(late.json().getString("access_token"), BuiltinYaml.GW2).getJwtId())
        .isNotEqualTo(verify(rotated.json().getString("access_token"), BuiltinYaml.GW2).getJwtId());
    // Not taken as theft: the family goes on.
    assertTokenAnswer(oauth.refresh(current));
  }

  @Test
  void aRotatedTokenReusedAfterTheGraceEndsThatLoginOnly() throws Exception {
    String email = registeredUser("ned");
    String stolen = oauth.password(email, Users.PASSWORD).json().getString("refresh_token");
    String otherLogin = oauth.password(email, Users.PASSWORD).json().getString("refresh_token");
    String current = oauth.refresh(stolen).json().getString("refresh_token");

    Thread.sleep(1_500); // refresh.grace is 1s

    assertOAuthError(oauth.refresh(stolen), 400, "invalid_grant");
    assertOAuthError(oauth.refresh(current), 400, "invalid_grant");
    assertTokenAnswer(oauth.refresh(otherLogin));
  }

  @Test
  void aRevokedRefreshTokenNoLongerRefreshes() {
    String refreshToken = oauth.password(registeredUser("ola"), Users.PASSWORD).json().getString("refresh_token");

    Browser.Response revoked = oauth.revoke(refreshToken);

    assertThat(revoked.status()).isEqualTo(200);
    assertOAuthError(oauth.refresh(refreshToken), 400, "invalid_grant");
    // RFC 7009: an unknown or already revoked token is no error.
    assertThat(oauth.revoke(refreshToken).status()).isEqualTo(200);
    assertThat(oauth.revoke("no-such-token").status()).isEqualTo(200);
  }

  @Test
  void onlyTheClientTheTokenWasIssuedToCanRevokeIt() {
    String refreshToken = oauth.password(registeredUser("pia"), Users.PASSWORD).json().getString("refresh_token");

    Browser.Response wrongSecret = oauth.revoke(OAuthCalls.form("token", refreshToken), OAuthCalls.basic(BuiltinYaml.GW2, "wrong"));
    Browser.Response otherClient = oauth.revoke(OAuthCalls.form("token", refreshToken, "client_id", BuiltinYaml.WEB));

    assertOAuthError(wrongSecret, 401, "invalid_client");
    assertThat(otherClient.status()).isEqualTo(200);
    assertTokenAnswer(oauth.refresh(refreshToken));
  }

  // ---- JWKS and discovery ----

  @Test
  void theDiscoveryDocumentNamesTheIssuerAndEndpoints() {
    Browser.Response answer = browser().get("/.well-known/openid-configuration");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    JsonObject doc = answer.json();
    assertThat(doc.getString("issuer")).isEqualTo(PUBLIC_URL);
    assertThat(doc.getString("token_endpoint")).isEqualTo(PUBLIC_URL + "/oauth/token");
    assertThat(doc.getString("revocation_endpoint")).isEqualTo(PUBLIC_URL + "/oauth/revoke");
    assertThat(doc.getString("jwks_uri")).isEqualTo(PUBLIC_URL + "/.well-known/jwks.json");
    assertThat(doc.getJsonArray("grant_types_supported").getList()).contains("password", "refresh_token");
  }

  @Test
  void theJwksPublishesPublicKeysOnlyAndAccessTokensVerifyAgainstIt() throws Exception {
    String email = registeredUser("quinn");
    Browser.Response jwks = browser().get("/.well-known/jwks.json");
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.header("Content-Type")).startsWith("application/json");
    JsonArray keys = jwks.json().getJsonArray("keys");
    assertThat(keys).isNotEmpty();
    for (Object key : keys) {
      assertThat(((JsonObject) key).getString("kid")).isNotBlank();
      assertThat(((JsonObject) key).containsKey("d")).as("a private key part").isFalse();
    }

    Browser.Response login = oauth.password(email, Users.PASSWORD);
    String accessToken = login.json().getString("access_token");
    JwtClaims claims = Jwts.verify(accessToken, jwks.body(), PUBLIC_URL, BuiltinYaml.GW2);

    assertThat(claims.getIssuer()).isEqualTo(PUBLIC_URL);
    assertThat(claims.getAudience()).containsExactly(BuiltinYaml.GW2);
    assertThat(claims.getSubject()).isNotBlank();
    assertThat(claims.getIssuedAt()).isNotNull();
    assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);
    assertThat(claims.getJwtId()).isNotBlank();
    assertThat(claims.getClaimValue("roles")).isInstanceOf(List.class);
    // The verifier is real: another audience, or a changed signature, is refused.
    assertThatThrownBy(() -> Jwts.verify(accessToken, jwks.body(), PUBLIC_URL, BuiltinYaml.WEB))
        .isInstanceOf(InvalidJwtException.class);
    String tampered = accessToken.substring(0, accessToken.length() - 4)
        + (accessToken.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThatThrownBy(() -> Jwts.verify(tampered, jwks.body(), PUBLIC_URL, BuiltinYaml.GW2))
        .isInstanceOf(InvalidJwtException.class);
  }

  @Test
  void theSubjectOfAnAccessTokenIsTheRegisteredUsersId() throws Exception {
    String email = Users.freshEmail("rae");
    String id = Users.register(browser(), "Rae", email, Users.PASSWORD).json().getJsonObject("user").getString("id");

    JwtClaims claims = verify(oauth.password(email, Users.PASSWORD).json().getString("access_token"), BuiltinYaml.GW2);

    assertThat(claims.getSubject()).isEqualTo(id);
    assertThat(claims.getClaimValue("name")).isEqualTo("Rae");
  }

  // ---- checks ----

  JwtClaims verify(String accessToken, String audience) throws InvalidJwtException {
    return Jwts.verify(accessToken, browser().get("/.well-known/jwks.json").body(), PUBLIC_URL, audience);
  }

  static void assertTokenAnswer(Browser.Response answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    JsonObject body = answer.json();
    assertThat(body.getString("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(body.getString("refresh_token")).isNotBlank();
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getLong("expires_in")).isPositive();
  }

  static void assertOAuthError(Browser.Response answer, int status, String error) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.json().getString("error")).isEqualTo(error);
    assertThat(answer.json().containsKey("type")).as("an RFC 6749 error, not problem+json").isFalse();
    assertThat(answer.json().containsKey("access_token")).isFalse();
  }

  static void assertProblem(Browser.Response answer, int status) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    JsonObject body = answer.json();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
  }

  static List<String> fieldErrors(Browser.Response answer) {
    JsonArray errors = answer.json().getJsonArray("errors");
    assertThat(errors).as("errors in %s", answer.body()).isNotNull();
    return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }
}
