package io.nassearch.coordinator.search;

import io.nassearch.api.v1.EarlyStopping;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearch;

/** SpecValidator's part for SearchSpec.early_stopping: ranges, and the defaults filled in. */
final class EarlyStoppingSpecs {
  private static final String FIELD = "spec.early_stopping.";

  private EarlyStoppingSpecs() {}

  static EarlyStopping validate(EarlyStopping in, Evaluator evaluator, String algorithm) {
    if (in.getRule() == EarlyStopping.Rule.UNRECOGNIZED) {
      throw new InvalidRequestException(FIELD + "rule", "is not a known rule");
    }
    if (in.getRule() == EarlyStopping.Rule.RULE_UNSPECIFIED) {
      if (!in.equals(EarlyStopping.getDefaultInstance())) {
        throw new InvalidRequestException(FIELD + "rule", "is required with other settings");
      }
      return in;
    }
    if (evaluator != Evaluator.EVALUATOR_CLIENT) {
      throw new InvalidRequestException(
          FIELD + "rule", "applies only to evaluator CLIENT (trials that report measurements)");
    }
    if (in.getRule() == EarlyStopping.Rule.RULE_SURROGATE
        && !algorithm.equals(PredictorGuidedSearch.NAME)) {
      throw new InvalidRequestException(
          FIELD + "rule", "RULE_SURROGATE needs algorithm predictor_guided, got " + algorithm);
    }
    EarlyStopping.Builder out = in.toBuilder();
    if (in.getMinStep() < 0) {
      throw new InvalidRequestException(FIELD + "min_step", "must be >= 1, got " + in.getMinStep());
    }
    out.setMinStep(in.getMinStep() == 0 ? 1 : in.getMinStep());
    double factor = in.getReductionFactor() == 0 ? 3 : in.getReductionFactor();
    if (!(factor >= 2 && factor <= 100)) {
      throw new InvalidRequestException(
          FIELD + "reduction_factor", "must be in 2..100, got " + in.getReductionFactor());
    }
    out.setReductionFactor(factor);
    out.setQuantile(fraction("quantile", in.getQuantile(), 0.5));
    out.setTopFraction(fraction("top_fraction", in.getTopFraction(), 0.25));
    return out.build();
  }

  private static double fraction(String field, double value, double otherwise) {
    double v = value == 0 ? otherwise : value;
    if (!(v > 0 && v < 1)) {
      throw new InvalidRequestException(FIELD + field, "must be in (0, 1), got " + value);
    }
    return v;
  }
}
