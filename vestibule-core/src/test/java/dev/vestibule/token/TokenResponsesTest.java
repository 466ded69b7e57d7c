package dev.vestibule.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenResponsesTest {
  private static final Instant SENT = Instant.parse("2026-01-01T00:00:00Z");

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void successfulGrantBecomesATokenSetExpiringAfterExpiresIn() {
    TokenSet tokens = TokenResponses.read(200,
        json("{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"expires_in\":300,\"token_type\":\"Bearer\"}"), null, SENT);
    assertThat(tokens.accessToken()).isEqualTo("at");
    assertThat(tokens.refreshToken()).contains("rt");
    assertThat(tokens.accessExpiresAt()).contains(SENT.plusSeconds(300));
  }

  @Test
  void providerThatDoesNotRotateKeepsThePreviousRefreshAndIdToken() {
    TokenSet previous = new TokenSet("old", Optional.of("rt"), Optional.of("idt"), Optional.empty());
    TokenSet tokens = TokenResponses.read(200, json("{\"access_token\":\"new\"}"), previous, SENT);
    assertThat(tokens.refreshToken()).contains("rt");
    assertThat(tokens.idToken()).contains("idt");
  }

  @Test
  void withoutExpiresInAJwtAccessTokensExpClaimIsUsed() {
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(json("{\"sub\":\"u\",\"exp\":1767225900}"));
    TokenSet tokens = TokenResponses.read(200, json("{\"access_token\":\"h." + payload + ".s\"}"), null, SENT);
    assertThat(tokens.accessExpiresAt()).contains(Instant.ofEpochSecond(1767225900));
  }

  @Test
  void invalidGrantIsARejection() {
    assertThatThrownBy(() -> TokenResponses.read(400, json("{\"error\":\"invalid_grant\"}"), null, SENT))
        .isInstanceOf(TokenRejectedException.class)
        .satisfies(e -> assertThat(((TokenRejectedException) e).error()).isEqualTo("invalid_grant"));
  }

  @Test
  void unauthorizedWithoutBodyIsARejection() {
    assertThatThrownBy(() -> TokenResponses.read(401, new byte[0], null, SENT)).isInstanceOf(TokenRejectedException.class);
  }

  @Test
  void serverErrorsTimeoutsAndThrottlingAreTransient() {
    for (int status : new int[] {500, 502, 503, 408, 429}) {
      assertThatThrownBy(() -> TokenResponses.read(status, json("{\"error\":\"x\"}"), null, SENT))
          .isInstanceOf(ProviderUnavailableException.class);
    }
  }

  @Test
  void garbled200IsTransientNotASession() {
    assertThatThrownBy(() -> TokenResponses.read(200, json("<html>"), null, SENT))
        .isInstanceOf(ProviderUnavailableException.class);
  }
}
