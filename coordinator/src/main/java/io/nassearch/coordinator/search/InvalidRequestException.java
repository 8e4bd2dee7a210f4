package io.nassearch.coordinator.search;

/** A request field is invalid; maps to INVALID_ARGUMENT with the field named in BadRequest details. */
public final class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
