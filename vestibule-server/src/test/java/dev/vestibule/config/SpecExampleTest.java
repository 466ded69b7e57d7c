package dev.vestibule.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.identity.apikey.Privilege;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of SPEC section 2. It lists the keys of all three identity types under one {@code identity:};
 * since keys of another type are rejected, the identity block is checked once per type.
 */
class SpecExampleTest {

  private static final String EXAMPLE = """
            listen: 127.0.0.1:8080
            publicUrl: http://localhost:8080        # https here => Secure cookies and __Host- prefix;
                                                    # links in mails and the issuer use it
            trustedProxies: []                      # CIDRs whose X-Forwarded-For names the client;
                                                    # from anyone else it is ignored (rate limits, IP rules)
            session:
              secrets: ["${VESTIBULE_SESSION_SECRET}"]   # >= 32 chars; the first seals, all unseal
              cookieName: vestibule
              maxAge: 7d                            # absolute lifetime of a login
              idleTimeout: 0                        # 0 = none; else ends a session unused that long
              sameSite: Lax
              store: cookie                         # cookie | redis (server-side, cookie holds an id)
            identity:
            %s
            refresh:
              before: 60s          # refresh when the access token has less than this left
              grace: 60s           # a refresh result stays reusable this long for late requests
              timeout: 10s
            limits:
              login: 10/1m         # attempts per client IP and, separately, per account
              register: 5/1m       # builtin identity
              codes: 5/15m         # magic-link, MFA and reset verifications per account
            mail:                  # builtin identity: magic links, MFA codes, password reset
              smtp: log            # log: the message, link or code included, goes to the log, for
                                   # development only (start-up warns) | smtp://host:port
              from: vestibule@localhost
            redis: redis://127.0.0.1:6379           # optional: multi-instance coordination
            routes:
              - path: /api/**
                upstream: http://127.0.0.1:9001/v1  # /api/x/y -> /v1/x/y
                auth: required                      # required | optional | none | apiKey:<privilege>
                relay: bearer                       # bearer | cookie:<name> | none
                csrf: true                          # default true for cookie-authenticated routes
                maxBodyBytes: 1048576
                timeout: 30s
                dedupe: false
              - path: /**
                static: ${PUBLIC_DIR}               # optional static files / SPA (./public in the spec)
            login:
              page: /login          # where a browser navigation goes when no session is usable
            """;

  private static final String BUILTIN = """
              type: builtin                         # builtin | oauth2 | oidc
              # builtin
              database: jdbc:sqlite:./data/vestibule.db   # or jdbc:postgresql://host:5432/db?user=...
              accessTokenTtl: 30m
              refreshTokenTtl: 7d
              clients: [{id: web}]                  # OAuth2 clients of /oauth/token: id, optional secret;
                                                    # a token's aud is its client id
              magicLinkTtl: 15m
              resetTtl: 30m
              mfaCodeTtl: 10m""";

  private static final String OAUTH2 = """
              type: oauth2
              # oauth2 (first-party login: password grant; refresh: refresh_token grant, RFC 6749)
              tokenEndpoint: http://127.0.0.1:9000/oauth/token
              revocationEndpoint: http://127.0.0.1:9000/oauth/revoke   # RFC 7009, optional
              userinfoEndpoint: http://127.0.0.1:9000/userinfo          # optional
              clientId: web
              clientSecret: ${CLIENT_SECRET:-}
              clientAuth: basic                     # basic (client_secret_basic) | post""";

  private static final String OIDC = """
              type: oidc
              # oidc (authorization code + PKCE; refresh_token grant)
              issuer: https://idp.example.com
              clientId: web
              scopes: [openid, profile, email, offline_access]""";

  @TempDir
  Path publicDir;

  private VestibuleConfig parse(String identity) throws ConfigException {
    Map<String, String> env = Map.of("VESTIBULE_SESSION_SECRET", Yamls.SECRET, "PUBLIC_DIR", publicDir.toString());
    return ConfigLoader.parse(EXAMPLE.formatted(identity.indent(2).stripTrailing()), env);
  }

  @Test
  void specExampleWithBuiltinIdentityParsesIntoTheExpectedRecords() throws ConfigException {
    VestibuleConfig c = parse(BUILTIN);

    assertThat(c.listen()).isEqualTo(new Listen("127.0.0.1", 8080));
    assertThat(c.publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(c.secure()).isFalse();
    assertThat(c.trustedProxies()).isEmpty();
    assertThat(c.session()).isEqualTo(new SessionConfig(List.of(Yamls.SECRET), "vestibule", Duration.ofDays(7),
        Duration.ZERO, SameSite.LAX, SessionStore.COOKIE));
    assertThat(c.identity()).isEqualTo(new IdentityConfig(IdentityType.BUILTIN, "jdbc:sqlite:./data/vestibule.db",
        Duration.ofMinutes(30), Duration.ofDays(7), List.of(new ClientConfig("web", Optional.empty())),
        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(10), Privilege.FULL, null, Optional.empty(),
        Optional.empty(), null, Optional.empty(), ClientAuth.BASIC, null, List.of()));
    assertThat(c.refresh()).isEqualTo(new RefreshConfig(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(10)));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(new RateLimit(10, Duration.ofMinutes(1)),
        new RateLimit(5, Duration.ofMinutes(1)), new RateLimit(5, Duration.ofMinutes(15))));
    assertThat(c.mail()).isEqualTo(new MailConfig(Optional.empty(), "vestibule@localhost"));
    assertThat(c.mail().logOnly()).isTrue();
    assertThat(c.redis()).contains(URI.create("redis://127.0.0.1:6379"));
    assertThat(c.routes()).containsExactly(
        new RouteConfig("/api/**", Optional.of(URI.create("http://127.0.0.1:9001/v1")), Optional.empty(),
            RouteAuth.of(RouteAuthMode.REQUIRED), Relay.BEARER, true, 1_048_576, Duration.ofSeconds(30), false,
            Set.of()),
        new RouteConfig("/**", Optional.empty(), Optional.of(publicDir.toAbsolutePath().normalize()),
            RouteAuth.of(RouteAuthMode.NONE), Relay.NONE, false, 1_048_576, Duration.ofSeconds(30), false,
            Set.of()));
    assertThat(c.login()).isEqualTo(new LoginConfig("/login"));
  }

  @Test
  void specExampleWithOauth2IdentityParsesTheProviderSettings() throws ConfigException {
    IdentityConfig id = parse(OAUTH2).identity();

    assertThat(id.type()).isEqualTo(IdentityType.OAUTH2);
    assertThat(id.tokenEndpoint()).isEqualTo(URI.create("http://127.0.0.1:9000/oauth/token"));
    assertThat(id.revocationEndpoint()).contains(URI.create("http://127.0.0.1:9000/oauth/revoke"));
    assertThat(id.userinfoEndpoint()).contains(URI.create("http://127.0.0.1:9000/userinfo"));
    assertThat(id.clientId()).isEqualTo("web");
    assertThat(id.clientSecret()).isEmpty();
    assertThat(id.clientAuth()).isEqualTo(ClientAuth.BASIC);
    assertThat(id.database()).isNull();
    assertThat(id.clients()).isEmpty();
    assertThat(id.issuer()).isNull();
    assertThat(id.scopes()).isEmpty();
  }

  @Test
  void specExampleWithOidcIdentityParsesIssuerAndScopes() throws ConfigException {
    IdentityConfig id = parse(OIDC).identity();

    assertThat(id.type()).isEqualTo(IdentityType.OIDC);
    assertThat(id.issuer()).isEqualTo(URI.create("https://idp.example.com"));
    assertThat(id.clientId()).isEqualTo("web");
    assertThat(id.scopes()).containsExactly("openid", "profile", "email", "offline_access");
    assertThat(id.tokenEndpoint()).isNull();
    assertThat(id.database()).isNull();
  }

  @Test
  void specExampleAsWrittenWithEveryTypesKeysParsesAsBuiltin() throws ConfigException {
    String all = BUILTIN + "\n" + OAUTH2.replace("type: oauth2\n", "") + "\n" + OIDC.replace("type: oidc\n", "").replace("clientId: web\n", "");
    VestibuleConfig config = ConfigLoader.parse(EXAMPLE.formatted(all.indent(2).stripTrailing()),
        Map.of("VESTIBULE_SESSION_SECRET", Yamls.SECRET, "PUBLIC_DIR", publicDir.toString()));
    assertThat(config.identity().type()).isEqualTo(IdentityType.BUILTIN);
    assertThat(config.identity().tokenEndpoint()).isNull();
  }
}
