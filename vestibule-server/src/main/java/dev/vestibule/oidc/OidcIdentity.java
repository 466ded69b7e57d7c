package dev.vestibule.oidc;

import dev.vestibule.config.ClientAuth;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.IdentityConfig;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.session.SessionSealer;
import dev.vestibule.token.OAuth2Client;
import dev.vestibule.token.OAuth2Provider;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.web.Sessions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * {@code identity.type: oidc}: the provider found by discovery at start-up, a client for its token endpoint
 * (code exchange, refresh, revocation, userinfo) and the login endpoints. Settings in the config
 * ({@code userinfoEndpoint}, {@code revocationEndpoint}) win over the discovered ones.
 */
public final class OidcIdentity {
  public static final String CALLBACK_PATH = "/auth/callback";

  private final VestibuleConfig config;
  private final Clock clock;
  private final ProviderMetadata provider;
  private final OAuth2Client client;
  private final IdTokens idTokens;

  private OidcIdentity(VestibuleConfig config, Clock clock, ProviderMetadata provider) {
    this.config = config;
    this.clock = clock;
    this.provider = provider;
    IdentityConfig identity = config.identity();
    this.client = new OAuth2Client(new OAuth2Provider(provider.tokenEndpoint(),
        identity.revocationEndpoint().or(provider::revocationEndpoint),
        identity.userinfoEndpoint().or(provider::userinfoEndpoint),
        identity.clientId(), identity.clientSecret(),
        identity.clientAuth() == ClientAuth.POST ? OAuth2Provider.ClientAuthentication.POST
            : OAuth2Provider.ClientAuthentication.BASIC,
        config.refresh().timeout()), clock);
    this.idTokens = new IdTokens(provider, identity.clientId(), config.refresh().timeout());
  }

  /** Fetches the discovery document; a {@link ConfigException} on {@code identity.issuer} when that fails. */
  public static OidcIdentity discover(VestibuleConfig config, Clock clock) throws ConfigException {
    return new OidcIdentity(config, clock, Discovery.fetch(config.identity().issuer(), config.refresh().timeout()));
  }

  public ProviderMetadata provider() {
    return provider;
  }

  /** Refresh, revocation and userinfo, as for {@code identity.type: oauth2}. */
  public TokenEndpoint tokens() {
    return client;
  }

  /** {@code GET /auth/login}, {@code GET /auth/callback}, and 405 for {@code POST /auth/login}. */
  public void mount(Router router, Sessions sessions) {
    IdentityConfig identity = config.identity();
    URI redirectUri = URI.create(config.publicUrl().toString().replaceAll("/+$", "") + CALLBACK_PATH);
    LoginAttemptCookie cookie = new LoginAttemptCookie(new SessionSealer(config.session().secrets()), clock,
        config.secure());
    new OidcEndpoints(provider, client, idTokens, identity.clientId(), List.copyOf(identity.scopes()), redirectUri,
        cookie, sessions).mount(router);
  }
}
