package io.nassearch.coordinator.dispatch;

import io.nassearch.api.model.ModelEnvelope;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainResult;

/** The checks a worker's answer passes before it counts. */
final class AnswerChecks {
  private static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

  private AnswerChecks() {}

  /** Null when the scores are one finite value per row within +-maxAbs; else the reason. */
  static String scoreProblem(ScoreResult result, int rows, double maxAbs) {
    if (result.getScoresCount() != rows) {
      return DispatchListener.LENGTH;
    }
    for (int i = 0; i < rows; i++) {
      float s = result.getScores(i);
      if (!Float.isFinite(s)) {
        return DispatchListener.NON_FINITE;
      }
      if (Math.abs(s) > maxAbs) {
        return DispatchListener.MAGNITUDE;
      }
    }
    return null;
  }

  static String describe(String problem, ScoreResult result, WorkItem item, double maxAbs) {
    return switch (problem) {
      case DispatchListener.LENGTH ->
          "sent "
              + result.getScoresCount()
              + " scores for "
              + item.id
              + ", which has "
              + item.rows
              + " rows";
      case DispatchListener.NON_FINITE -> "sent a non-finite score for " + item.id;
      default -> "sent a score beyond +-" + maxAbs + " for " + item.id;
    };
  }

  static float[] toScores(ScoreResult result) {
    float[] scores = new float[result.getScoresCount()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = result.getScores(i);
    }
    return scores;
  }

  /** Null when a training result has an intact model frame and sane metadata; else the reason. */
  static String modelProblem(TrainResult result) {
    String problem =
        ModelEnvelope.problem(result.getModel().toByteArray(), MAX_MODEL_BYTES).orElse(null);
    if (problem == null
        && result.hasValidationTau()
        && !(result.getValidationTau() >= -1 && result.getValidationTau() <= 1)) {
      problem = "validation_tau " + result.getValidationTau() + " is outside -1..1";
    }
    if (problem == null && result.getEpochs() < 0) {
      problem = "epochs " + result.getEpochs() + " is negative";
    }
    return problem;
  }
}
