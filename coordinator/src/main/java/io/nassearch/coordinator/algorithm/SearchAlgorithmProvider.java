package io.nassearch.coordinator.algorithm;

import java.util.Map;
import java.util.Set;

/**
 * Makes one kind of {@link Designer}. Providers are found with {@link java.util.ServiceLoader}
 * through {@code META-INF/services/io.nassearch.coordinator.algorithm.SearchAlgorithmProvider}, so
 * they need a public no-argument constructor. Stateless and thread-safe.
 */
public interface SearchAlgorithmProvider {
  /** lower_snake_case name, e.g. {@code regularized_evolution}. */
  String name();

  /** Other names accepted for lookup, e.g. {@code evolution}. */
  default Set<String> aliases() {
    return Set.of();
  }

  /**
   * Whether the designer trains its own predictor on ground truth (a benchmark table or a client's
   * training loop) to pick what to evaluate. Such an algorithm cannot be scored by the search's
   * surrogate: it spends a query budget, not a candidate budget.
   */
  default boolean needsPredictor() {
    return false;
  }

  /**
   * Validates user settings and fills in defaults. Unknown keys, non-finite values, non-integers
   * for integer settings and values out of range throw {@link InvalidAlgorithmConfigException}
   * naming the key and the allowed range. An empty map gives the defaults.
   */
  AlgorithmConfig parseConfig(Map<String, Double> settings);

  /**
   * A new designer in its initial state; the context's config must come from {@link #parseConfig}.
   */
  Designer create(DesignContext context);
}
