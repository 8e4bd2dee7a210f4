package io.nassearch.coordinator.search;

/**
 * A request field is invalid; maps to INVALID_ARGUMENT with the field named in BadRequest details.
 */
public final class InvalidRequestException extends FieldProblem {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String field, String problem) {
    super(field, problem);
  }
}
