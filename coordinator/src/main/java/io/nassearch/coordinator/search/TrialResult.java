package io.nassearch.coordinator.search;

import io.nassearch.api.v1.TrialState;

/** What a client reports for a trial: a measured objective, a failure, or infeasibility. */
public record TrialResult(TrialState state, double objective, String reason) {
  public static TrialResult completed(double objective) {
    return new TrialResult(TrialState.TRIAL_STATE_COMPLETED, objective, null);
  }

  public static TrialResult failed(String reason) {
    return new TrialResult(TrialState.TRIAL_STATE_FAILED, Double.NaN, reason);
  }

  public static TrialResult infeasible(String reason) {
    return new TrialResult(TrialState.TRIAL_STATE_INFEASIBLE, Double.NaN, reason);
  }

  /** The reason's field name in requests. */
  String reasonField() {
    return state == TrialState.TRIAL_STATE_INFEASIBLE ? "infeasible_reason" : "failure_reason";
  }
}
