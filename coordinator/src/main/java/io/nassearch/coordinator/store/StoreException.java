package io.nassearch.coordinator.store;

/**
 * The store could not be read or written (database down, disk full); maps to UNAVAILABLE. The
 * message is one line that names the {@link #fault()}.
 */
public final class StoreException extends RuntimeException {
  private final StoreFault fault;

  public StoreException(String message, Throwable cause) {
    this(StoreFault.OTHER, message, cause);
  }

  public StoreException(StoreFault fault, String message, Throwable cause) {
    super(message, cause);
    this.fault = fault;
  }

  public StoreFault fault() {
    return fault;
  }

  /** Whether the same call may succeed later, once the cause is fixed. */
  public boolean isTransient() {
    return fault.isTransient();
  }
}
