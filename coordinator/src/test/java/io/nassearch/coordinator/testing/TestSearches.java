package io.nassearch.coordinator.testing;

import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.SearchSpec;

/** Searches that tests create, built in one place. */
public final class TestSearches {
  private TestSearches() {}

  /**
   * A random search on nb201 whose trials the test evaluates itself (ask/tell): it needs no workers
   * and changes only when told.
   */
  public static CreateSearchRequest clientEvaluated(int queryBudget) {
    return CreateSearchRequest.newBuilder()
        .setSpec(
            SearchSpec.newBuilder()
                .setSpace("nb201")
                .setAlgorithm("random")
                .setEvaluator(Evaluator.EVALUATOR_CLIENT)
                .setQueryBudget(queryBudget)
                .setSeed(5))
        .build();
  }
}
