package io.nassearch.coordinator.benchmark;

/** A benchmark file that is not in the data directory; the message names every place looked. */
public final class MissingBenchmarkDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MissingBenchmarkDataException(String message) {
    super(message);
  }
}
