package dev.vestibule.identity.user;

/** A user with the stored hash of their password. */
public record Account(User user, String passwordHash) {
  @Override
  public String toString() {
    return "Account[user=" + user + ", passwordHash=redacted]";
  }
}
