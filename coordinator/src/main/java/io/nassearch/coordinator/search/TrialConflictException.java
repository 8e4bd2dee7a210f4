package io.nassearch.coordinator.search;

/** A tell that contradicts the result already stored for that trial; maps to ALREADY_EXISTS. */
public final class TrialConflictException extends RuntimeException {
  public TrialConflictException(String message) {
    super(message);
  }
}
