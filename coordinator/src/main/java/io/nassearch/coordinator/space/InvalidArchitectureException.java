package io.nassearch.coordinator.space;

/**
 * An architecture string or value that is not a member of the space; the message says why and shows
 * the expected form.
 */
public final class InvalidArchitectureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidArchitectureException(String message) {
    super(message);
  }
}
