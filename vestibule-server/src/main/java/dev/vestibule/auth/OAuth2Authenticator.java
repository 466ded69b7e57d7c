package dev.vestibule.auth;

import dev.vestibule.token.JwtClaims;
import dev.vestibule.token.TokenEndpoint;
import dev.vestibule.token.TokenSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Logs in with an external OAuth2 provider's password grant. The user shown in the session comes from the
 * userinfo endpoint when there is one, else from the ID token or a JWT access token, else the name given at
 * login.
 */
public final class OAuth2Authenticator implements Authenticator {
  // Claims about the token itself rather than the user.
  private static final Set<String> TOKEN_CLAIMS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti", "azp", "scope",
      "scp", "auth_time", "nonce", "at_hash", "c_hash", "sid", "typ", "client_id", "acr", "amr", "cnf");

  private final TokenEndpoint provider;

  public OAuth2Authenticator(TokenEndpoint provider) {
    this.provider = provider;
  }

  @Override
  public CompletionStage<Outcome> login(String identifier, String password) {
    return provider.password(identifier, password).thenCompose(tokens -> provider.userinfo(tokens.accessToken())
        .<Outcome>thenApply(userinfo -> new Login(userinfo.map(OAuth2Authenticator::userClaims)
            .orElseGet(() -> fromTokens(tokens, identifier)), tokens)));
  }

  @Override
  public CompletionStage<Void> logout(TokenSet tokens) {
    return provider.revoke(tokens);
  }

  static Map<String, Object> fromTokens(TokenSet tokens, String identifier) {
    Optional<Map<String, Object>> claims = tokens.idToken().flatMap(JwtClaims::peek)
        .or(() -> JwtClaims.peek(tokens.accessToken()));
    return claims.map(OAuth2Authenticator::userClaims)
        .filter(user -> !user.isEmpty())
        .orElseGet(() -> Map.of("username", identifier));
  }

  /** The claims about the user, without those about the token itself. */
  public static Map<String, Object> userClaims(Map<String, Object> claims) {
    Map<String, Object> user = new LinkedHashMap<>();
    claims.forEach((name, value) -> {
      if (!TOKEN_CLAIMS.contains(name)) user.put(name, value);
    });
    return user;
  }
}
