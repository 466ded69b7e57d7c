package dev.vestibule.identity.jwt;

import java.time.Instant;
import java.util.List;

/**
 * What a verified access token says.
 *
 * @param subject the user's id
 * @param audience the client the token was issued to
 */
public record AccessTokenClaims(String issuer, String subject, String audience, List<String> roles, String name,
    String email, Instant issuedAt, Instant expiresAt, String jwtId) {
  public AccessTokenClaims {
    roles = List.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
