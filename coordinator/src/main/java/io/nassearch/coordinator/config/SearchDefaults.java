package io.nassearch.coordinator.config;

/**
 * What a SearchSpec's zero fields mean.
 *
 * @param batchesPerRound score batches the search loop sends per round before it feeds results back
 *     to the algorithm; part of a search's definition (changing it changes results), independent of
 *     how many workers are connected so that results do not depend on that
 * @param queryBudget ground-truth evaluations of a predictor_guided search
 */
public record SearchDefaults(
    String algorithm,
    int trainingBudget,
    long candidateBudget,
    int topK,
    int batchSize,
    int batchesPerRound,
    int queryBudget) {

  public static SearchDefaults defaults() {
    return new SearchDefaults("regularized_evolution", 200, 3000, 10, 128, 4, 100);
  }
}
