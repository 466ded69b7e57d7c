package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StructureErrorsTest {

  @Test
  void unknownKeyIsRejectedWithSuggestion() {
    assertThat(Yamls.error("session:\n  secrets: [\"" + Yamls.SECRET + "\"]\n  cookeName: x\n"))
        .isEqualTo("session.cookeName: unknown key; did you mean 'cookieName'?");
  }

  @Test
  void unknownTopLevelKeyIsRejectedWithSuggestion() {
    assertThat(Yamls.errorWithSession("publicURL: http://x\n")).isEqualTo("publicURL: unknown key; did you mean 'publicUrl'?");
    assertThat(Yamls.errorWithSession("route: []\n")).isEqualTo("route: unknown key; did you mean 'routes'?");
  }

  @Test
  void unknownKeyFarFromAnyListsTheAllowedKeys() {
    assertThat(Yamls.errorWithSession("refresh:\n  banana: 1s\n"))
        .isEqualTo("refresh.banana: unknown key; allowed keys here are before, grace, timeout");
  }

  @Test
  void unknownKeysAreRejectedAtEveryLevel() {
    assertThat(Yamls.errorWithSession("limits:\n  logins: 1/1m\n")).isEqualTo("limits.logins: unknown key; did you mean 'login'?");
    assertThat(Yamls.errorWithSession("mail:\n  smpt: log\n")).isEqualTo("mail.smpt: unknown key; did you mean 'smtp'?");
    assertThat(Yamls.errorWithSession("login:\n  pages: /x\n")).isEqualTo("login.pages: unknown key; did you mean 'page'?");
    assertThat(Yamls.errorWithSession("identity:\n  clients: [{id: web, secrte: x}]\n"))
        .isEqualTo("identity.clients[0].secrte: unknown key; did you mean 'secret'?");
    assertThat(Yamls.errorWithSession("routes:\n  - path: /x\n    upstream: http://a\n    timout: 5s\n"))
        .isEqualTo("routes[0].timout: unknown key; did you mean 'timeout'?");
  }

  @Test
  void keyOfAnotherIdentityTypeSpelledWrongIsExplained() {
    assertThat(Yamls.errorWithSession("identity:\n  clientid: web\n")).isEqualTo(
        "identity.clientid: unknown key; did you mean 'clientId'? (it is only used with identity.type oauth2 or oidc)");
  }

  @Test
  void duplicateKeyIsRejected() {
    assertThat(Yamls.errorWithSession("refresh:\n  before: 1s\n  before: 2s\n"))
        .isEqualTo("refresh.before: appears twice; keep only one");
  }

  @Test
  void wrongTypesNameTheExpectedType() {
    assertThat(Yamls.errorWithSession("refresh: 5s\n"))
        .isEqualTo("refresh: expected a mapping (indented key: value lines), got a single value");
    assertThat(Yamls.errorWithSession("trustedProxies: 10.0.0.0/8\n"))
        .isEqualTo("trustedProxies: expected a list (like [a, b] or lines starting with '- '), got a single value");
    assertThat(Yamls.errorWithSession("refresh:\n  before: [1s]\n"))
        .isEqualTo("refresh.before: expected a single value, got a list");
    assertThat(Yamls.errorWithSession("routes:\n  - /api/**\n"))
        .isEqualTo("routes[0]: expected a mapping (indented key: value lines), got a single value");
    assertThat(Yamls.errorWithSession("routes:\n  - path: /x\n    upstream: http://a\n    csrf: yes\n"))
        .isEqualTo("routes[0].csrf: 'yes' is not a boolean; write true or false");
  }

  @Test
  void yamlSyntaxErrorGivesTheLineWithoutAStackTrace() {
    String message = Yamls.error("session:\n  secrets: [\"" + Yamls.SECRET + "\"\nlisten: x\n");
    assertThat(message).startsWith("(file): YAML syntax error at line ").doesNotContain(Yamls.SECRET).doesNotContain("\tat ");
    assertThat(Yamls.error("a: b: c\n")).startsWith("(file): YAML syntax error at line 1, column 5: mapping values are not allowed here");
  }

  @Test
  void topLevelMustBeAMapping() {
    assertThat(Yamls.error("- a\n- b\n")).isEqualTo(
        "(file): the config must be a mapping of keys like listen:, session: and routes:, but it is a list");
    assertThat(Yamls.error("just text\n")).isEqualTo(
        "(file): the config must be a mapping of keys like listen:, session: and routes:, but it is a single value");
  }

  @Test
  void moreThanOneDocumentIsRejected() {
    assertThat(Yamls.error(Yamls.SESSION + "---\nlisten: :1\n")).startsWith("(file): YAML syntax error at line");
  }

  @Test
  void recursiveAliasIsRejected() {
    assertThat(Yamls.error(Yamls.SESSION + "routes: &a [*a]\n"))
        .isEqualTo("routes[0]: contains itself through an alias (*name); remove the recursive alias");
  }

  @Test
  void nonRecursiveAliasesAreExpanded() throws ConfigException {
    VestibuleConfig c = Yamls.withSession("routes:\n  - {path: /a, upstream: &u 'http://u'}\n  - {path: /b, upstream: *u}\n");
    assertThat(c.routes().get(1).upstream()).isEqualTo(c.routes().get(0).upstream());
  }

  @Test
  void yamlOneOneBooleansAndOctalsStayText() throws ConfigException {
    VestibuleConfig c = Yamls.withSession("identity: {type: oauth2, tokenEndpoint: 'http://idp/t', clientId: 0123,"
        + " clientSecret: on}\n");
    assertThat(c.identity().clientId()).isEqualTo("0123");
    assertThat(c.identity().clientSecret()).contains("on");
  }
}
