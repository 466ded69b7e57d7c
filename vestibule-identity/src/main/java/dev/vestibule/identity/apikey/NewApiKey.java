package dev.vestibule.identity.apikey;

import dev.vestibule.identity.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user asks for in a new key.
 *
 * @param ipv4 where the key may be used from; empty for anywhere
 * @param expiresAt empty for a key that never expires
 */
public record NewApiKey(String name, Privilege privilege, Optional<Ipv4Range> ipv4, Optional<Instant> expiresAt) {
  /** A key asked for without a privilege gets this one. */
  public static final Privilege DEFAULT_PRIVILEGE = Privilege.DEMO;
  static final int NAME_MAX_LENGTH = 100;

  public NewApiKey {
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(ipv4, "ipv4");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * Reads a request as a client sends it, every field a string: {@code privilege} a label ({@link #DEFAULT_PRIVILEGE}
   * when null), {@code ipv4} as {@link Ipv4Range#parse} reads it (null or blank for anywhere), {@code expires} as
   * {@link KeyExpiry#parse} reads it.
   *
   * @throws ApiKeyRequestException {@code INVALID}, with an error per bad field
   */
  public static NewApiKey parse(String name, String privilege, String ipv4, String expires, Instant now)
      throws ApiKeyRequestException {
    List<FieldError> errors = new ArrayList<>();
    Optional<Privilege> level = privilege == null ? Optional.of(DEFAULT_PRIVILEGE) : Privilege.fromLabel(privilege);
    if (level.isEmpty()) errors.add(privilegeError());
    Optional<Ipv4Range> range = Optional.empty();
    try {
      range = ipv4(ipv4);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("ipv4", e.getMessage()));
    }
    Optional<Instant> expiresAt = Optional.empty();
    try {
      expiresAt = KeyExpiry.parse(expires, now);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("expires", e.getMessage()));
    }
    NewApiKey request = new NewApiKey(name, level.orElse(DEFAULT_PRIVILEGE), range, expiresAt);
    errors.addAll(0, request.problems(now));
    if (!errors.isEmpty()) throw new ApiKeyRequestException(ApiKeyRequestException.Kind.INVALID, errors);
    return request;
  }

  /** {@code null} or blank is anywhere. */
  public static Optional<Ipv4Range> ipv4(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(Ipv4Range.parse(text));
  }

  public static FieldError privilegeError() {
    return new FieldError("privilege", "Choose one of " + Privilege.labels() + ".");
  }

  /** What is wrong with the name and the expiry, seen at {@code now}. */
  List<FieldError> problems(Instant now) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank()) errors.add(new FieldError("name", "Name the key."));
    else if (name.strip().length() > NAME_MAX_LENGTH) errors.add(new FieldError("name", "Use at most " + NAME_MAX_LENGTH + " characters."));
    else if (name.chars().anyMatch(Character::isISOControl)) errors.add(new FieldError("name", "Use printable characters only."));
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
      errors.add(new FieldError("expires", "Choose a moment in the future."));
    }
    return errors;
  }
}
