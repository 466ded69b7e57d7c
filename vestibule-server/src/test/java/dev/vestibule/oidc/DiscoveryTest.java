package dev.vestibule.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vestibule.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the gateway takes from a discovery document, and what it refuses in one. */
class DiscoveryTest {
  private static final URI ISSUER = URI.create("https://idp.example.com/realms/acme");
  private static final URI URL = Discovery.documentUrl(ISSUER);

  @Test
  void theDocumentLivesUnderTheIssuerWithOrWithoutATrailingSlash() {
    assertThat(URL).hasToString("https://idp.example.com/realms/acme/.well-known/openid-configuration");
    assertThat(Discovery.documentUrl(URI.create("https://idp.example.com/"))).hasToString(
        "https://idp.example.com/.well-known/openid-configuration");
  }

  @Test
  void endpointsAndRfc9207SupportAreRead() throws ConfigException {
    ProviderMetadata provider = Discovery.read(ISSUER, URL, document()
        .put("revocation_endpoint", "https://idp.example.com/revoke")
        .put("authorization_response_iss_parameter_supported", true));

    assertThat(provider.tokenEndpoint()).hasToString("https://idp.example.com/token");
    assertThat(provider.revocationEndpoint()).contains(URI.create("https://idp.example.com/revoke"));
    assertThat(provider.userinfoEndpoint()).isEqualTo(Optional.empty());
    assertThat(provider.issParameterSupported()).isTrue();
  }

  @Test
  void aDocumentWithoutATokenEndpointOrJwksIsRefused() {
    JsonObject noToken = document();
    noToken.remove("token_endpoint");
    JsonObject noKeys = document();
    noKeys.remove("jwks_uri");

    assertThatThrownBy(() -> Discovery.read(ISSUER, URL, noToken)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.getMessage()).startsWith("identity.issuer: ").contains("no token_endpoint"));
    assertThatThrownBy(() -> Discovery.read(ISSUER, URL, noKeys)).hasMessageContaining("no jwks_uri");
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefused() {
    assertThatThrownBy(() -> Discovery.read(ISSUER, URL, document().put("token_endpoint", "javascript:alert(1)")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("identity.issuer"));
  }

  private static JsonObject document() {
    return new JsonObject()
        .put("issuer", ISSUER.toString())
        .put("authorization_endpoint", "https://idp.example.com/authorize")
        .put("token_endpoint", "https://idp.example.com/token")
        .put("jwks_uri", "https://idp.example.com/jwks");
  }
}
