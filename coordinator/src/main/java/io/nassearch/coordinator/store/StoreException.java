package io.nassearch.coordinator.store;

/** The store could not be read or written (database down, disk full); maps to UNAVAILABLE. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
