package io.nassearch.coordinator.algorithm.guided;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link PredictorGuidedSearch}; its settings are those of {@link
 * PredictorGuidedSearch.Config}.
 */
public final class PredictorGuidedSearchProvider implements SearchAlgorithmProvider {
  @Override
  public String name() {
    return PredictorGuidedSearch.NAME;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("guided");
  }

  @Override
  public boolean needsPredictor() {
    return true;
  }

  @Override
  public AlgorithmConfig parseConfig(Map<String, Double> settings) {
    return PredictorGuidedSearch.Config.parse(settings);
  }

  @Override
  public Designer create(DesignContext context) {
    return new PredictorGuidedSearch(
        context.space(),
        context.config(PredictorGuidedSearch.Config.class),
        context.seed(),
        context.tradeoff(),
        context.requirePredictor(name()));
  }
}
