package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearchProvider;
import java.util.Map;

class PredictorGuidedContractTest extends AlgorithmContractTest {
  @Override
  SearchAlgorithmProvider provider() {
    return new PredictorGuidedSearchProvider();
  }

  @Override
  Map<Map<String, Double>, String> badSettings() {
    return Map.of(
        Map.of("initial_queries", 1.0), "initial_queries",
        Map.of("ensemble_size", 0.0), "ensemble_size",
        Map.of("exploration_weight", -1.0), "exploration_weight",
        Map.of("thompson_sampling", 2.0), "thompson_sampling");
  }
}
