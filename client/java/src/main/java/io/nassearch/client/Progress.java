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
 * @param trials predictor_guided searches: ground-truth trials and surrogate retrainings
 */
public record Progress(
    long candidatesScored,
    long candidateBudget,
    long groundTruthQueries,
    double bestPredictedScore,
    String bestArchitecture,
    OptionalDouble surrogateValidationTau,
    double candidatesPerSecond,
    TrialProgress trials) {

  public static final Progress NONE =
      new Progress(0, 0, 0, 0, "", OptionalDouble.empty(), 0, TrialProgress.NONE);

  /**
   * A predictor-guided search's ground-truth side.
   *
   * @param queryBudget trials the search spends in all
   * @param told trials told (completed or failed)
   * @param pending trials handed out and not told yet
   * @param surrogateRetrains surrogate ensembles trained so far
   * @param bestObjective best told objective; empty before any
   * @param bestArchitecture its architecture; empty before any
   * @param stopped trials stopped early by the search's early-stopping rule
   * @param stepsSaved training steps the stopped trials did not run
   */
  public record TrialProgress(
      int queryBudget,
      int told,
      int pending,
      int surrogateRetrains,
      OptionalDouble bestObjective,
      String bestArchitecture,
      int stopped,
      long stepsSaved) {
    public static final TrialProgress NONE =
        new TrialProgress(0, 0, 0, 0, OptionalDouble.empty(), "", 0, 0);

    public TrialProgress {
      bestObjective = bestObjective == null ? OptionalDouble.empty() : bestObjective;
      bestArchitecture = bestArchitecture == null ? "" : bestArchitecture;
    }
  }

  public Progress {
    bestArchitecture = bestArchitecture == null ? "" : bestArchitecture;
    surrogateValidationTau =
        surrogateValidationTau == null ? OptionalDouble.empty() : surrogateValidationTau;
    trials = trials == null ? TrialProgress.NONE : trials;
  }

  /**
   * Done fraction in [0, 1]: trials told of the query budget for predictor_guided searches, else
   * candidates scored of the candidate budget; 0 when the budget is unknown.
   */
  public double fraction() {
    if (trials.queryBudget() > 0) {
      return Math.min(1.0, (double) trials.told() / trials.queryBudget());
    }
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
        p.hasSurrogateValidationTau()
            ? OptionalDouble.of(p.getSurrogateValidationTau())
            : OptionalDouble.empty(),
        p.getCandidatesPerSecond(),
        new TrialProgress(
            p.getQueryBudget(),
            p.getTrialsTold(),
            p.getTrialsPending(),
            p.getSurrogateRetrains(),
            p.hasBestTrueObjective()
                ? OptionalDouble.of(p.getBestTrueObjective())
                : OptionalDouble.empty(),
            p.getBestTrueArchitecture(),
            p.getTrialsStopped(),
            p.getStepsSaved()));
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
    p.setQueryBudget(trials.queryBudget())
        .setTrialsTold(trials.told())
        .setTrialsPending(trials.pending())
        .setSurrogateRetrains(trials.surrogateRetrains())
        .setBestTrueArchitecture(trials.bestArchitecture())
        .setTrialsStopped(trials.stopped())
        .setStepsSaved(trials.stepsSaved());
    trials.bestObjective().ifPresent(p::setBestTrueObjective);
    return p.build();
  }
}
