package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.Objects;

/**
 * What a {@link Designer} is made from: the space, a config from its provider's {@code
 * parseConfig}, the seed, the predictor that trains and scores surrogate models (on the workers in
 * the coordinator, in-process in benchmarks; null where the search has none) and what accuracy is
 * traded against, and how many evaluations the search may make (0 when few or unknown), which sizes
 * the designer's {@link SeenSet}.
 */
public record DesignContext(
    SearchSpace space,
    AlgorithmConfig config,
    long seed,
    Predictor predictor,
    Tradeoff tradeoff,
    long expectedEvaluations) {
  public DesignContext {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(config, "config");
    tradeoff = tradeoff == null ? Tradeoff.NONE : tradeoff;
  }

  public DesignContext(
      SearchSpace space,
      AlgorithmConfig config,
      long seed,
      Predictor predictor,
      Tradeoff tradeoff) {
    this(space, config, seed, predictor, tradeoff, 0);
  }

  /** A set for the architectures the designer has seen, sized for the search. */
  public SeenSet newSeenSet() {
    return SeenSet.forEvaluations(expectedEvaluations);
  }

  public DesignContext(SearchSpace space, AlgorithmConfig config, long seed) {
    this(space, config, seed, null, Tradeoff.NONE);
  }

  /**
   * The config as the provider's own type; {@link IllegalArgumentException} for another provider's.
   */
  public <C extends AlgorithmConfig> C config(Class<C> type) {
    if (!type.isInstance(config)) {
      throw new IllegalArgumentException("Expected a " + type.getName() + ", got " + config);
    }
    return type.cast(config);
  }

  /** The predictor; {@link IllegalArgumentException} when the search has none. */
  public Predictor requirePredictor(String algorithm) {
    if (predictor == null) {
      throw new IllegalArgumentException(algorithm + " needs a predictor");
    }
    return predictor;
  }
}
