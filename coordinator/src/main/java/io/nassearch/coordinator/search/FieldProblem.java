package io.nassearch.coordinator.search;

/** A problem with one named field of a request; {@code GrpcErrors} maps each kind to a status. */
public abstract class FieldProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  protected FieldProblem(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The field's name, empty when the problem concerns the whole request. */
  public String field() {
    return field;
  }

  /** What is wrong with the field, without its name. */
  public String problem() {
    return problem;
  }
}
