package io.nassearch.coordinator.algorithm;

/**
 * An algorithm setting that is unknown or out of range; the message names the key and what is
 * allowed.
 */
public final class InvalidAlgorithmConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidAlgorithmConfigException(String algorithm, String key, String problem) {
    super("Invalid setting '" + key + "' for algorithm " + algorithm + ": " + problem);
    this.key = key;
  }

  /** The offending setting. */
  public String key() {
    return key;
  }
}
