package dev.vestibule.identity.user;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user of the built-in identity, without credentials.
 *
 * @param passwordChangedAt when the password was last set; sessions that began before it belong to an old password
 * @param mfaEnabled whether a login also needs a code mailed to the user
 */
public record User(String id, String name, String email, List<String> roles, Instant createdAt, Instant passwordChangedAt,
    boolean mfaEnabled) {
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    roles = List.copyOf(roles);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(passwordChangedAt, "passwordChangedAt");
  }

  /** A user without MFA. */
  public User(String id, String name, String email, List<String> roles, Instant createdAt, Instant passwordChangedAt) {
    this(id, name, email, roles, createdAt, passwordChangedAt, false);
  }
}
