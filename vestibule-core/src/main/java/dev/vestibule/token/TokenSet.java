package dev.vestibule.token;
import java.time.*; import java.util.Optional;
/** The tokens of one login. Immutable; a refresh produces a new one. */
public record TokenSet(String accessToken, Optional<String> refreshToken, Optional<String> idToken, Optional<Instant> accessExpiresAt) {
  public TokenSet { java.util.Objects.requireNonNull(accessToken, "accessToken"); refreshToken = refreshToken == null ? Optional.empty() : refreshToken; idToken = idToken == null ? Optional.empty() : idToken; accessExpiresAt = accessExpiresAt == null ? Optional.empty() : accessExpiresAt; }
  /** True when the access token has less than {@code margin} left; unknown expiry never counts as expiring. */
  public boolean expiresWithin(Duration margin, Instant now) { return accessExpiresAt.map(e -> !now.plus(margin).isBefore(e)).orElse(false); }
  @Override public String toString() { return "TokenSet[redacted]"; }
}
