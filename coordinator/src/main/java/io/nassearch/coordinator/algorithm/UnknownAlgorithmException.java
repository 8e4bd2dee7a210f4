package io.nassearch.coordinator.algorithm;

import java.util.Collection;

/**
 * Lookup of an algorithm name that no registered provider has; the message lists the known names.
 */
public final class UnknownAlgorithmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownAlgorithmException(String name, Collection<String> known) {
    super("Unknown search algorithm '" + name + "'; known algorithms (name or alias): " + known);
  }
}
