package io.nassearch.coordinator.search;

/** A request is over a configured limit; maps to RESOURCE_EXHAUSTED. */
public final class LimitExceededException extends RuntimeException {
  private final String field;

  public LimitExceededException(String field, String message) {
    super(field.isEmpty() ? message : field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
