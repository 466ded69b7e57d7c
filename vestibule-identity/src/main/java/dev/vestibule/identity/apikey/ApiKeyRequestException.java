package dev.vestibule.identity.apikey;

import dev.vestibule.identity.FieldError;
import java.util.List;

/** A request about API keys was refused, with what to fix. */
public final class ApiKeyRequestException extends Exception {
  private final Kind kind;
  private final List<FieldError> errors;

  public ApiKeyRequestException(Kind kind, List<FieldError> errors) {
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
    /** A field is missing or bad: HTTP 400. */
    INVALID(400),
    /** The user holds as many keys as allowed: HTTP 409. */
    TOO_MANY_KEYS(409);

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
