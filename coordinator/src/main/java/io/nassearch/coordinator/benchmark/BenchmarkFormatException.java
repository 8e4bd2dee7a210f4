package io.nassearch.coordinator.benchmark;

/**
 * A benchmark table file that cannot be read as documented; the message names the file and line.
 */
public final class BenchmarkFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchmarkFormatException(String source, long line, String problem) {
    super(
        "Malformed benchmark table " + source + (line > 0 ? " line " + line : "") + ": " + problem);
  }

  public BenchmarkFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
