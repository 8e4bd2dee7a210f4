package io.nassearch.coordinator.search;

/** The request does not fit the search's kind or state; maps to FAILED_PRECONDITION. */
public class PreconditionFailedException extends RuntimeException {
  public PreconditionFailedException(String message) {
    super(message);
  }
}
