package dev.vestibule.identity;

import java.util.List;

/** A registration (or a new password) was refused, with what to fix. */
public final class RegistrationException extends Exception {
  private final Kind kind;
  private final List<FieldError> errors;

  public RegistrationException(Kind kind, List<FieldError> errors) {
    super(kind + " " + errors, null, false, false);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  public Kind kind() {
    return kind;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public enum Kind {
    /** A field is missing or bad, or the password is weak: HTTP 400. */
    INVALID(400),
    /** Another account has this email: HTTP 409. */
    EMAIL_TAKEN(409);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    /** The HTTP status that answers it. */
    public int status() {
      return status;
    }
  }
}
