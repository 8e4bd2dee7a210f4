package io.nassearch.coordinator.search;

import io.nassearch.api.v1.SurrogateSpec;

/** Validates a SurrogateSpec against the ranges documented in types.proto (zero = worker default). */
final class SurrogateSpecs {
  private SurrogateSpecs() {}

  static void validate(SurrogateSpec s) {
    String p = "spec.surrogate.";
    if (s.getLossValue() < 0 || s.getLoss() == io.nassearch.api.v1.Loss.UNRECOGNIZED) {
      throw new InvalidRequestException(p + "loss", "unknown loss " + s.getLossValue());
    }
    range(p + "hidden_units", s.getHiddenUnits(), 1, 4096);
    range(p + "hidden_layers", s.getHiddenLayers(), 1, 8);
    range(p + "max_epochs", s.getMaxEpochs(), 1, 10_000);
    range(p + "batch_size", s.getBatchSize(), 2, 4096);
    range(p + "patience", s.getPatience(), 0, 10_000);
    real(p + "dropout", s.getDropout(), 0, 1, false);
    real(p + "weight_decay", s.getWeightDecay(), 0, 1, true);
    real(p + "learning_rate", s.getLearningRate(), 0, 1, true);
    real(p + "validation_fraction", s.getValidationFraction(), 0, 0.5, false);
  }

  private static void range(String field, int value, int min, int max) {
    if (value != 0 && (value < min || value > max)) {
      throw new InvalidRequestException(field, "must be 0 (default) or in " + min + ".." + max + ", got " + value);
    }
  }

  private static void real(String field, float value, double min, double max, boolean maxInclusive) {
    boolean ok =
        Float.isFinite(value) && value >= min && (maxInclusive ? value <= max : value < max);
    if (!ok) {
      throw new InvalidRequestException(
          field, "must be in [" + min + ", " + max + (maxInclusive ? "]" : ")") + ", got " + value);
    }
  }
}
