package io.nassearch.coordinator.config;

/**
 * Request limits enforced with RESOURCE_EXHAUSTED.
 *
 * @param maxCandidateBudget largest SearchSpec.candidate_budget; above a million candidates a
 *     search holds a Bloom filter of 2 bytes per budgeted candidate (400 MB at the default)
 * @param maxTrainingBudget largest SearchSpec.training_budget
 * @param maxBatchSize largest SearchSpec.batch_size (rows per score batch)
 * @param maxConcurrentSearches searches that may be pending, training or running at once
 * @param maxInboundMessageBytes largest gRPC message the coordinator accepts
 * @param maxWorkers worker streams connected at once
 */
public record Limits(
    long maxCandidateBudget,
    int maxTrainingBudget,
    int maxBatchSize,
    int maxConcurrentSearches,
    int maxInboundMessageBytes,
    int maxWorkers) {

  public Limits {
    if (maxCandidateBudget < 1
        || maxTrainingBudget < 10
        || maxBatchSize < 1
        || maxConcurrentSearches < 1
        || maxInboundMessageBytes < 1024
        || maxWorkers < 1) {
      throw new IllegalArgumentException("Every limit must be positive: " + this);
    }
  }

  public static Limits defaults() {
    return new Limits(200_000_000, 10_000, 16_384, 16, 64 * 1024 * 1024, 256);
  }

  public Limits withMaxConcurrentSearches(int n) {
    return new Limits(
        maxCandidateBudget, maxTrainingBudget, maxBatchSize, n, maxInboundMessageBytes, maxWorkers);
  }
}
