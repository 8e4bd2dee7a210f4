package io.nassearch.client;

import io.nassearch.api.v1.SearchProgress;
import java.util.OptionalDouble;

/**
 * How far a search has come.
 *
 * @param candidatesScored distinct candidates scored by the surrogate so far
 * @param candidateBudget the search's candidate budget
 * @param groundTruthQueries benchmark-table queries made (training set plus top-k verification)
 * @param bestPredictedScore highest surrogate score so far (comparable only within one model)
 * @param bestArchitecture architecture with the highest surrogate score so far; empty before any
 * @param surrogateValidationTau Kendall tau of the surrogate on held-out training rows; empty until
 *     trained, and when it was trained without a validation split
 * @param candidatesPerSecond scoring throughput over the RUNNING phase
 */
public record Progress(
    long candidatesScored,
    long candidateBudget,
    long groundTruthQueries,
    double bestPredictedScore,
    String bestArchitecture,
    OptionalDouble surrogateValidationTau,
    double candidatesPerSecond) {

  public static final Progress NONE = new Progress(0, 0, 0, 0, "", OptionalDouble.empty(), 0);

  public Progress {
    bestArchitecture = bestArchitecture == null ? "" : bestArchitecture;
    surrogateValidationTau = surrogateValidationTau == null ? OptionalDouble.empty() : surrogateValidationTau;
  }

  /** Scored fraction of the budget in [0, 1]; 0 when the budget is unknown. */
  public double fraction() {
    if (candidateBudget <= 0) {
      return 0;
    }
    return Math.min(1.0, Math.max(0.0, (double) candidatesScored / candidateBudget));
  }

  public static Progress fromProto(SearchProgress p) {
    return new Progress(
        p.getCandidatesScored(),
        p.getCandidateBudget(),
        p.getGroundTruthQueries(),
        p.getBestPredictedScore(),
        p.getBestArchitecture(),
        p.hasSurrogateValidationTau() ? OptionalDouble.of(p.getSurrogateValidationTau()) : OptionalDouble.empty(),
        p.getCandidatesPerSecond());
  }

  public SearchProgress toProto() {
    SearchProgress.Builder p =
        SearchProgress.newBuilder()
            .setCandidatesScored(candidatesScored)
            .setCandidateBudget(candidateBudget)
            .setGroundTruthQueries(groundTruthQueries)
            .setBestPredictedScore(bestPredictedScore)
            .setBestArchitecture(bestArchitecture)
            .setCandidatesPerSecond(candidatesPerSecond);
    surrogateValidationTau.ifPresent(p::setSurrogateValidationTau);
    return p.build();
  }
}
