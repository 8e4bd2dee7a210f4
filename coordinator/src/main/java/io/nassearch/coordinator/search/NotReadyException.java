package io.nassearch.coordinator.search;

/**
 * The coordinator cannot answer yet (search not started here, shutting down, no worker); maps to
 * UNAVAILABLE.
 */
public final class NotReadyException extends RuntimeException {
  public NotReadyException(String message) {
    super(message);
  }
}
