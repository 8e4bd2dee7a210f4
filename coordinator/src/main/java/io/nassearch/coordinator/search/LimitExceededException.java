package io.nassearch.coordinator.search;

/** A request is over a configured limit; maps to RESOURCE_EXHAUSTED. */
public final class LimitExceededException extends RuntimeException {
  private final String field;
  private final String problem;

  public LimitExceededException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  public String field() {
    return field;
  }

  /** What is over the limit, without the field's name. */
  public String problem() {
    return problem;
  }
}
