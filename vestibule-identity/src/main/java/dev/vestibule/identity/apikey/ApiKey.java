package dev.vestibule.identity.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about an API key, never the key itself.
 *
 * @param tokenId the key's id: its owner names it in management calls, an upstream sees it in
 *     {@code X-Vestibule-Key-Id}; it stays the same when the key is rotated
 * @param userId the owner; management calls take it from the session, never from the client
 * @param ipv4 where the key may be used from; empty for anywhere
 * @param expiresAt empty for a key that never expires
 * @param rotatedAt when the key was last replaced by a new one
 */
public record ApiKey(String tokenId, String userId, String name, Privilege privilege, Optional<Ipv4Range> ipv4,
    Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> rotatedAt, Optional<Instant> lastUsedAt,
    long usageCount) {

  public ApiKey {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(ipv4, "ipv4");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(rotatedAt, "rotatedAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
  }

  public boolean expired(Instant now) {
    return expiresAt.map(at -> !now.isBefore(at)).orElse(false);
  }
}
