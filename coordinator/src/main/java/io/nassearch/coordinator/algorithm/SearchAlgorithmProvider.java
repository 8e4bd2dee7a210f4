package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.SearchSpace;
import java.util.Map;
import java.util.Set;

/**
 * Makes one kind of {@link SearchAlgorithm}. Providers are found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.nassearch.coordinator.algorithm.SearchAlgorithmProvider}, so they need a
 * public no-argument constructor. Stateless and thread-safe.
 */
public interface SearchAlgorithmProvider {
  /** lower_snake_case name, e.g. {@code regularized_evolution}. */
  String name();

  /** Other names accepted for lookup, e.g. {@code evolution}. */
  default Set<String> aliases() {
    return Set.of();
  }

  /**
   * Validates user settings and fills in defaults. Unknown keys, non-finite values, non-integers for
   * integer settings and values out of range throw {@link InvalidAlgorithmConfigException} naming the key
   * and the allowed range. An empty map gives the defaults.
   */
  AlgorithmConfig parseConfig(Map<String, Double> settings);

  /** A new algorithm in its initial state; {@code config} must come from this provider's {@link #parseConfig}. */
  SearchAlgorithm create(SearchSpace space, AlgorithmConfig config, long seed);
}
