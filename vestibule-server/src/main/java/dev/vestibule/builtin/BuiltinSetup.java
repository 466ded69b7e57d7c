package dev.vestibule.builtin;

import dev.vestibule.config.ClientConfig;
import dev.vestibule.config.ConfigException;
import dev.vestibule.config.IdentityConfig;
import dev.vestibule.config.VestibuleConfig;
import dev.vestibule.identity.IdentityService;
import dev.vestibule.identity.IdentitySettings;
import dev.vestibule.identity.OAuthClient;
import dev.vestibule.identity.db.DatabaseUnavailableException;
import dev.vestibule.identity.mail.Mailer;
import java.time.Clock;

/** Opens the built-in identity from the config: database (migrated), mailer, token settings. */
public final class BuiltinSetup {
  private BuiltinSetup() {}

  public static BuiltinIdentity open(VestibuleConfig config, Clock clock) throws ConfigException {
    IdentityConfig identity = config.identity();
    IdentitySettings settings = IdentitySettings.builder(identity.database(), config.publicUrl())
        .accessTokenTtl(identity.accessTokenTtl())
        .refreshTokenTtl(identity.refreshTokenTtl())
        .refreshGrace(config.refresh().grace())
        .resetTtl(identity.resetTtl())
        .magicLinkTtl(identity.magicLinkTtl())
        .mfaCodeTtl(identity.mfaCodeTtl())
        .clients(identity.clients().stream().map(BuiltinSetup::client).toList())
        .build();
    try {
      return new BuiltinIdentity(IdentityService.open(settings, mailer(config), clock), identity.clients().get(0).id());
    } catch (DatabaseUnavailableException e) {
      throw new ConfigException("identity.database", "cannot open the database (" + e.getMessage()
          + "); check the URL and that the database server runs");
    }
  }

  private static OAuthClient client(ClientConfig client) {
    return client.secret().map(secret -> OAuthClient.confidential(client.id(), secret))
        .orElseGet(() -> OAuthClient.publicClient(client.id()));
  }

  private static Mailer mailer(VestibuleConfig config) {
    return Mailer.of(config.mail().smtp(), config.mail().from());
  }
}
