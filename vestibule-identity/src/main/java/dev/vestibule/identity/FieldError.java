package dev.vestibule.identity;

import java.util.Objects;

/** What is wrong with one field of a form, as a sentence for the user. */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
