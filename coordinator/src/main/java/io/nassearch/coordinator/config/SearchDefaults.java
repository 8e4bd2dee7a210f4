package io.nassearch.coordinator.config;

/**
 * What a SearchSpec's zero fields mean.
 *
 * @param batchesInFlight score batches a surrogate-scored search keeps in flight, for specs that
 *     leave it 0
 * @param queryBudget ground-truth evaluations of a predictor_guided search
 */
public record SearchDefaults(
    String algorithm,
    int trainingBudget,
    long candidateBudget,
    int topK,
    int batchSize,
    int batchesInFlight,
    int queryBudget) {

  public static SearchDefaults defaults() {
    return new SearchDefaults("regularized_evolution", 200, 3000, 10, 128, 4, 100);
  }
}
