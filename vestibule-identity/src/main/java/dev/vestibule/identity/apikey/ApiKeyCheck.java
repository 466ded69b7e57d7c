package dev.vestibule.identity.apikey;

import java.util.Objects;
import java.util.Optional;

/** The outcome of presenting an API key: accepted with the key's metadata, or refused with why. */
public record ApiKeyCheck(Verdict verdict, Optional<ApiKey> key) {
  public ApiKeyCheck {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(key, "key");
    if ((verdict == Verdict.ACCEPTED) != key.isPresent()) throw new IllegalArgumentException("a key goes with acceptance only");
  }

  public static ApiKeyCheck accepted(ApiKey key) {
    return new ApiKeyCheck(Verdict.ACCEPTED, Optional.of(key));
  }

  public static ApiKeyCheck refused(Verdict verdict) {
    return new ApiKeyCheck(verdict, Optional.empty());
  }

  public boolean accepted() {
    return verdict == Verdict.ACCEPTED;
  }

  public enum Verdict {
    ACCEPTED,
    /** Missing, malformed, unknown, revoked or replaced by a rotation: the caller holds no key (401). */
    UNKNOWN,
    /** A real key past its expiry (401). */
    EXPIRED,
    /** A real key used from an address outside its IPv4 restriction (403). */
    IP_NOT_ALLOWED,
    /** A real key whose privilege is below what was asked for (403). */
    PRIVILEGE_TOO_LOW;

    /** Whether the caller showed no usable key at all, as opposed to a key that may not do this. */
    public boolean unauthenticated() {
      return this == UNKNOWN || this == EXPIRED;
    }
  }
}
