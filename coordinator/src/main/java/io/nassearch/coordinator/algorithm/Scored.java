package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import java.util.Objects;

/**
 * An architecture with its score (higher is better), as reported back to {@link
 * SearchAlgorithm#observe}.
 */
public record Scored(Architecture architecture, double score) {
  public Scored {
    Objects.requireNonNull(architecture, "architecture");
  }
}
