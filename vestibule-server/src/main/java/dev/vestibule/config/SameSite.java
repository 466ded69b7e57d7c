package dev.vestibule.config;

/** The SameSite attribute of the session cookie. */
public enum SameSite {
  STRICT("Strict"), LAX("Lax"), NONE("None");

  private final String attribute;

  SameSite(String attribute) {
    this.attribute = attribute;
  }

  /** The value as written in a {@code Set-Cookie} header. */
  public String attribute() {
    return attribute;
  }
}
