package io.nassearch.client;

import io.grpc.Status;
import java.util.List;
import java.util.Objects;

/**
 * The one exception of the client: a call failed with a gRPC status. {@link #code()} tells the kind
 * (INVALID_ARGUMENT, NOT_FOUND, UNAVAILABLE, ...), {@link #description()} the server's message and
 * {@link #fieldViolations()} the offending request fields, when the server named them.
 */
public class NasClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String description;
  private final List<FieldViolation> fieldViolations;

  /** A request field the server rejected, e.g. {@code spec.top_k}. */
  public record FieldViolation(String field, String description) {}

  public NasClientException(
      Status.Code code, String description, List<FieldViolation> fieldViolations, Throwable cause) {
    super(code + ": " + Objects.requireNonNullElse(description, ""), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.description = Objects.requireNonNullElse(description, "");
    this.fieldViolations = List.copyOf(fieldViolations);
  }

  public NasClientException(Status.Code code, String description) {
    this(code, description, List.of(), null);
  }

  public Status.Code code() {
    return code;
  }

  public String description() {
    return description;
  }

  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }
}
