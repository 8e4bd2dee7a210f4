package io.nassearch.worker.surrogate;

/** Serialized surrogate bytes are corrupt, truncated, of another format or inconsistent. */
public final class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
