package io.nassearch.api.surrogate;

import io.nassearch.api.v1.SurrogateSpec;
import java.util.Optional;

/**
 * The allowed range of every {@code nas.v1.SurrogateSpec} field, written once: the coordinator
 * checks requests against it (where zero means the worker's default) and the worker checks the
 * configs it builds.
 */
public final class SurrogateRanges {
  public static final IntRange HIDDEN_UNITS = new IntRange("hidden_units", 1, 4096);
  public static final IntRange HIDDEN_LAYERS = new IntRange("hidden_layers", 1, 8);
  public static final IntRange MAX_EPOCHS = new IntRange("max_epochs", 1, 10_000);
  public static final IntRange BATCH_SIZE = new IntRange("batch_size", 2, 4096);
  public static final IntRange PATIENCE = new IntRange("patience", 0, 10_000);
  public static final RealRange DROPOUT = new RealRange("dropout", 0, 1, true, false);
  public static final RealRange WEIGHT_DECAY = new RealRange("weight_decay", 0, 1, true, true);
  public static final RealRange LEARNING_RATE = new RealRange("learning_rate", 0, 1, false, true);
  public static final RealRange VALIDATION_FRACTION =
      new RealRange("validation_fraction", 0, 0.5, true, false);

  private SurrogateRanges() {}

  /** A field outside its range: the proto field's name and what is wrong, without the name. */
  public record Violation(String field, String problem) {
    /** As one line, e.g. for an exception message. */
    public String message() {
      return field + " " + problem;
    }
  }

  /** An integer field's inclusive range. */
  public record IntRange(String field, int min, int max) {
    public Optional<Violation> check(int value) {
      return value >= min && value <= max
          ? Optional.empty()
          : Optional.of(new Violation(field, "must be in " + min + ".." + max + ", got " + value));
    }
  }

  /** A real field's range; NaN and infinities are never in it. */
  public record RealRange(
      String field, double min, double max, boolean minInclusive, boolean maxInclusive) {
    public Optional<Violation> check(double value) {
      boolean ok =
          Double.isFinite(value)
              && (minInclusive ? value >= min : value > min)
              && (maxInclusive ? value <= max : value < max);
      return ok
          ? Optional.empty()
          : Optional.of(
              new Violation(
                  field,
                  "must be in "
                      + (minInclusive ? "[" : "(")
                      + min
                      + ", "
                      + max
                      + (maxInclusive ? "]" : ")")
                      + ", got "
                      + value));
    }
  }

  /**
   * The first field of a request's spec outside its range; zero integers and zero reals mean the
   * default.
   */
  public static Optional<Violation> checkRequest(SurrogateSpec s) {
    return first(
        s.getHiddenUnits() == 0 ? Optional.empty() : HIDDEN_UNITS.check(s.getHiddenUnits()),
        s.getHiddenLayers() == 0 ? Optional.empty() : HIDDEN_LAYERS.check(s.getHiddenLayers()),
        s.getMaxEpochs() == 0 ? Optional.empty() : MAX_EPOCHS.check(s.getMaxEpochs()),
        s.getBatchSize() == 0 ? Optional.empty() : BATCH_SIZE.check(s.getBatchSize()),
        PATIENCE.check(s.getPatience()),
        DROPOUT.check(s.getDropout()),
        WEIGHT_DECAY.check(s.getWeightDecay()),
        s.getLearningRate() == 0 ? Optional.empty() : LEARNING_RATE.check(s.getLearningRate()),
        VALIDATION_FRACTION.check(s.getValidationFraction()));
  }

  @SafeVarargs
  private static Optional<Violation> first(Optional<Violation>... checks) {
    for (Optional<Violation> c : checks) {
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }
}
