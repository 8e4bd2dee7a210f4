package io.nassearch.coordinator.search;

/** A request is over a configured limit; maps to RESOURCE_EXHAUSTED. */
public final class LimitExceededException extends FieldProblem {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String field, String problem) {
    super(field, problem);
  }
}
