package io.nassearch.coordinator.search;

/**
 * A request field is invalid; maps to INVALID_ARGUMENT with the field named in BadRequest details.
 */
public final class InvalidRequestException extends RuntimeException {
  private final String field;
  private final String problem;

  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  public String field() {
    return field;
  }

  /** What is wrong with the field, without its name. */
  public String problem() {
    return problem;
  }
}
