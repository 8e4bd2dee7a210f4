package io.nassearch.coordinator.search;

/** The search already reached a terminal state; maps to FAILED_PRECONDITION. */
public final class SearchFinishedException extends PreconditionFailedException {
  public SearchFinishedException(String message) {
    super(message);
  }
}
