package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityRulesTest {

  private static final String OAUTH2 = "identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n  clientId: web\n";

  @Test
  void oauth2NeedsATokenEndpoint() {
    assertThat(Yamls.errorWithSession("identity:\n  type: oauth2\n  clientId: web\n")).isEqualTo(
        "identity.tokenEndpoint: missing; set the provider's token URL, like https://idp.example.com/oauth/token");
  }

  @Test
  void oauth2NeedsAClientId() {
    assertThat(Yamls.errorWithSession("identity:\n  type: oauth2\n  tokenEndpoint: http://idp/token\n")).isEqualTo(
        "identity.clientId: missing; set the client id registered at the provider, like clientId: web");
  }

  @Test
  void badTokenEndpointIsRejected() {
    assertThat(Yamls.errorWithSession("identity:\n  type: oauth2\n  tokenEndpoint: htp:/x\n  clientId: web\n")).isEqualTo(
        "identity.tokenEndpoint: 'htp:/x' is not an absolute http(s) URL; write it like https://host:port/path");
    assertThat(Yamls.errorWithSession("identity:\n  type: oauth2\n  tokenEndpoint: /oauth/token\n  clientId: web\n"))
        .startsWith("identity.tokenEndpoint: '/oauth/token' is not an absolute http(s) URL");
  }

  @Test
  void oauth2OptionalSettingsAreRead() throws ConfigException {
    IdentityConfig id = Yamls.withSession(OAUTH2 + "  revocationEndpoint: https://idp/revoke\n  clientAuth: POST\n"
        + "  clientSecret: s3\n").identity();
    assertThat(id.revocationEndpoint()).contains(URI.create("https://idp/revoke"));
    assertThat(id.userinfoEndpoint()).isEmpty();
    assertThat(id.clientAuth()).isEqualTo(ClientAuth.POST);
    assertThat(id.clientSecret()).contains("s3");
  }

  @Test
  void badOptionalEndpointIsRejected() {
    assertThat(Yamls.errorWithSession(OAUTH2 + "  userinfoEndpoint: ftp://idp/userinfo\n"))
        .startsWith("identity.userinfoEndpoint: 'ftp://idp/userinfo' is not an absolute http(s) URL");
  }

  @Test
  void theApiKeyPrivilegeCapIsFullUnlessSetToAKnownPrivilege() throws ConfigException {
    assertThat(Yamls.withSession("identity:\n  type: builtin\n").identity().apiKeyMaxPrivilege())
        .isEqualTo(Privilege.FULL);
    assertThat(Yamls.withSession("identity:\n  apiKeyMaxPrivilege: protected\n").identity().apiKeyMaxPrivilege())
        .isEqualTo(Privilege.PROTECTED);
    assertThat(Yamls.errorWithSession("identity:\n  apiKeyMaxPrivilege: admin\n")).isEqualTo(
        "identity.apiKeyMaxPrivilege: 'admin' is not a privilege; use one of custom, demo, restricted, protected, full");
  }

  @Test
  void unknownClientAuthIsRejected() {
    assertThat(Yamls.errorWithSession(OAUTH2 + "  clientAuth: jwt\n"))
        .isEqualTo("identity.clientAuth: 'jwt' is not one of basic, post");
  }

  @Test
  void unknownTypeIsRejected() {
    assertThat(Yamls.errorWithSession("identity:\n  type: saml\n"))
        .isEqualTo("identity.type: 'saml' is not one of builtin, oauth2, oidc");
  }

  @Test
  void keysOfAnotherTypeAreIgnoredSoOneFileCanServeSeveralTypes() throws ConfigException {
    IdentityConfig builtin = Yamls.withSession("identity:\n  tokenEndpoint: http://idp/token\n  clientSecret: x\n").identity();
    assertThat(builtin.tokenEndpoint()).isNull();
    IdentityConfig oauth2 = Yamls.withSession(OAUTH2 + "  database: jdbc:sqlite:x.db\n  scopes: [openid]\n").identity();
    assertThat(oauth2.database()).isNull();
    assertThat(oauth2.scopes()).isEmpty();
  }

  @Test
  void oidcNeedsAnIssuerAndAClientId() {
    assertThat(Yamls.errorWithSession("identity:\n  type: oidc\n  clientId: web\n")).isEqualTo(
        "identity.issuer: missing; set the provider's issuer URL, like https://idp.example.com");
    assertThat(Yamls.errorWithSession("identity:\n  type: oidc\n  issuer: https://idp\n")).startsWith("identity.clientId: missing");
    assertThat(Yamls.errorWithSession("identity:\n  type: oidc\n  issuer: idp.example.com\n  clientId: web\n"))
        .startsWith("identity.issuer: 'idp.example.com' is not an absolute http(s) URL");
  }

  @Test
  void oidcIssuerIsKeptExactly() throws ConfigException {
    IdentityConfig id = Yamls.withSession("identity:\n  type: oidc\n  issuer: https://idp.example.com/realms/x/\n"
        + "  clientId: web\n  scopes: [openid, email]\n").identity();
    assertThat(id.issuer()).isEqualTo(URI.create("https://idp.example.com/realms/x/"));
    assertThat(id.scopes()).containsExactly("openid", "email");
  }

  @Test
  void oidcScopesMustIncludeOpenid() {
    assertThat(Yamls.errorWithSession("identity:\n  type: oidc\n  issuer: https://idp\n  clientId: web\n  scopes: [email]\n"))
        .isEqualTo("identity.scopes: must include openid (OpenID Connect requires it)");
    assertThat(Yamls.errorWithSession("identity:\n  type: oidc\n  issuer: https://idp\n  clientId: web\n"
        + "  scopes: ['openid email']\n")).startsWith("identity.scopes[0]: 'openid email' is not a valid scope");
  }

  @Test
  void builtinDatabaseMustBeSqliteOrPostgres() throws ConfigException {
    assertThat(Yamls.errorWithSession("identity:\n  database: jdbc:mysql://db/x\n")).isEqualTo(
        "identity.database: must start with jdbc:sqlite: or jdbc:postgresql:, like jdbc:sqlite:./data/vestibule.db"
            + " or jdbc:postgresql://host:5432/db");
    assertThat(Yamls.withSession("identity:\n  database: jdbc:postgresql://db:5432/v?user=u\n").identity().database())
        .isEqualTo("jdbc:postgresql://db:5432/v?user=u");
  }

  @Test
  void builtinClientsAreReadAndMustBeUnique() throws ConfigException {
    IdentityConfig id = Yamls.withSession("identity:\n  clients: [{id: web}, {id: cli, secret: s}]\n").identity();
    assertThat(id.clients()).containsExactly(new ClientConfig("web", Optional.empty()), new ClientConfig("cli", Optional.of("s")));
    assertThat(Yamls.errorWithSession("identity:\n  clients: [{id: web}, {id: web}]\n"))
        .isEqualTo("identity.clients[1].id: 'web' is already used by another client; ids must be unique");
    assertThat(Yamls.errorWithSession("identity:\n  clients: [{secret: s}]\n"))
        .isEqualTo("identity.clients[0].id: missing; give the client an id, like {id: web}");
    assertThat(Yamls.errorWithSession("identity:\n  clients: []\n"))
        .isEqualTo("identity.clients: is empty; list at least one client, like [{id: web}]");
  }

  @Test
  void builtinTtlsMustBeAboveZero() {
    assertThat(Yamls.errorWithSession("identity:\n  accessTokenTtl: 0\n"))
        .isEqualTo("identity.accessTokenTtl: must be longer than 0; write it like 30s");
    assertThat(Yamls.errorWithSession("identity:\n  mfaCodeTtl: 10 minutes\n"))
        .startsWith("identity.mfaCodeTtl: '10 minutes' is not a duration");
  }

  @Test
  void toStringHidesClientSecrets() throws ConfigException {
    VestibuleConfig c = Yamls.withSession(OAUTH2 + "  clientSecret: very-private-value\n");
    assertThat(c.toString()).doesNotContain("very-private-value");
    VestibuleConfig b = Yamls.withSession("identity:\n  clients: [{id: a, secret: other-private-value}]\n"
        + "  database: jdbc:postgresql://db/v?user=u&password=db-private-value\n");
    assertThat(b.toString()).doesNotContain("other-private-value").doesNotContain("db-private-value");
  }
}
