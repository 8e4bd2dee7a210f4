package io.nassearch.coordinator.algorithm;

import java.util.Map;

/**
 * A validated, immutable algorithm configuration made by {@link
 * SearchAlgorithmProvider#parseConfig}. Implementations are records with {@code equals}/{@code
 * toString}.
 */
public interface AlgorithmConfig {
  /** Every setting with its effective value, defaults included, keyed as in {@code parseConfig}. */
  Map<String, Double> settings();
}
