package io.nassearch.worker.surrogate;

import io.nassearch.api.surrogate.SurrogateRanges;
import io.nassearch.api.v1.SurrogateSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a surrogate is built and trained. The compact constructor rejects anything outside {@link
 * SurrogateRanges} with an {@link IllegalArgumentException} naming the field.
 *
 * @param loss training objective
 * @param hiddenUnits width of each hidden layer, 1..4096
 * @param hiddenLayers number of hidden layers, 1..8
 * @param dropout dropout rate on hidden activations, 0 <= x < 1
 * @param weightDecay decoupled (AdamW-style) weight decay on weight matrices, >= 0
 * @param learningRate Adam learning rate, > 0
 * @param maxEpochs maximum passes over the training rows, 1..10000
 * @param batchSize minibatch (list) size, 2..4096
 * @param patience epochs without a better validation Kendall tau before stopping; 0 disables early
 *     stopping
 * @param validationFraction fraction of rows held out for early stopping, 0 <= x < 0.5
 * @param family the network, MLP by default
 */
public record SurrogateConfig(
    LossKind loss,
    int hiddenUnits,
    int hiddenLayers,
    float dropout,
    float weightDecay,
    float learningRate,
    int maxEpochs,
    int batchSize,
    int patience,
    float validationFraction,
    ModelFamily family) {

  // Defaults (and the default loss) chosen on NAS-Bench-201 by held-out Kendall tau (one-hot, N =
  // 100..1000): README "Surrogate". Early stopping on a small validation
  // split lowered the full-table Kendall tau, so it is off unless validationFraction > 0.
  public static final int DEFAULT_HIDDEN_UNITS = 128;
  public static final int DEFAULT_HIDDEN_LAYERS = 3;
  public static final float DEFAULT_DROPOUT = 0.2f;
  public static final float DEFAULT_WEIGHT_DECAY = 1e-4f;
  public static final float DEFAULT_LEARNING_RATE = 1e-2f;
  public static final int DEFAULT_MAX_EPOCHS = 200;
  public static final int DEFAULT_BATCH_SIZE = 64;
  public static final int DEFAULT_PATIENCE = 40;
  public static final float DEFAULT_VALIDATION_FRACTION = 0f;

  public SurrogateConfig {
    if (loss == null || family == null) {
      throw new IllegalArgumentException("loss and family must not be null");
    }
    for (Optional<SurrogateRanges.Violation> v :
        List.of(
            SurrogateRanges.HIDDEN_UNITS.check(hiddenUnits),
            SurrogateRanges.HIDDEN_LAYERS.check(hiddenLayers),
            SurrogateRanges.DROPOUT.check(dropout),
            SurrogateRanges.WEIGHT_DECAY.check(weightDecay),
            SurrogateRanges.LEARNING_RATE.check(learningRate),
            SurrogateRanges.MAX_EPOCHS.check(maxEpochs),
            SurrogateRanges.BATCH_SIZE.check(batchSize),
            SurrogateRanges.PATIENCE.check(patience),
            SurrogateRanges.VALIDATION_FRACTION.check(validationFraction))) {
      if (v.isPresent()) {
        throw new IllegalArgumentException(v.get().message());
      }
    }
  }

  public static SurrogateConfig defaults() {
    return new SurrogateConfig(
        LossKind.BEST_RANKING,
        DEFAULT_HIDDEN_UNITS,
        DEFAULT_HIDDEN_LAYERS,
        DEFAULT_DROPOUT,
        DEFAULT_WEIGHT_DECAY,
        DEFAULT_LEARNING_RATE,
        DEFAULT_MAX_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_PATIENCE,
        DEFAULT_VALIDATION_FRACTION,
        ModelFamily.MLP);
  }

  /** Zero fields mean "default"; other values are range-checked. */
  public static SurrogateConfig fromProto(SurrogateSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("surrogate spec must not be null");
    }
    SurrogateConfig d = defaults();
    return new SurrogateConfig(
        LossKind.fromProto(spec.getLoss()),
        spec.getHiddenUnits() == 0 ? d.hiddenUnits : spec.getHiddenUnits(),
        spec.getHiddenLayers() == 0 ? d.hiddenLayers : spec.getHiddenLayers(),
        spec.getDropout() == 0f ? d.dropout : spec.getDropout(),
        spec.getWeightDecay() == 0f ? d.weightDecay : spec.getWeightDecay(),
        spec.getLearningRate() == 0f ? d.learningRate : spec.getLearningRate(),
        spec.getMaxEpochs() == 0 ? d.maxEpochs : spec.getMaxEpochs(),
        spec.getBatchSize() == 0 ? d.batchSize : spec.getBatchSize(),
        spec.getPatience() == 0 ? d.patience : spec.getPatience(),
        spec.getValidationFraction() == 0f ? d.validationFraction : spec.getValidationFraction(),
        ModelFamily.fromProto(spec.getFamily()));
  }

  public SurrogateSpec toProto() {
    return SurrogateSpec.newBuilder()
        .setLoss(loss.toProto())
        .setHiddenUnits(hiddenUnits)
        .setHiddenLayers(hiddenLayers)
        .setDropout(dropout)
        .setWeightDecay(weightDecay)
        .setLearningRate(learningRate)
        .setMaxEpochs(maxEpochs)
        .setBatchSize(batchSize)
        .setPatience(patience)
        .setValidationFraction(validationFraction)
        .setFamily(family.toProto())
        .build();
  }

  public SurrogateConfig withLoss(LossKind value) {
    return with(spec -> spec.setLoss(value.toProto()));
  }

  /**
   * This config with fields changed through its spec, e.g. {@code with(s -> s.setMaxEpochs(5))};
   * zeros stay zeros (unlike {@link #fromProto}).
   */
  public SurrogateConfig with(Consumer<SurrogateSpec.Builder> change) {
    SurrogateSpec.Builder spec = toProto().toBuilder();
    change.accept(spec);
    return new SurrogateConfig(
        LossKind.fromProto(spec.getLoss()),
        spec.getHiddenUnits(),
        spec.getHiddenLayers(),
        spec.getDropout(),
        spec.getWeightDecay(),
        spec.getLearningRate(),
        spec.getMaxEpochs(),
        spec.getBatchSize(),
        spec.getPatience(),
        spec.getValidationFraction(),
        ModelFamily.fromProto(spec.getFamily()));
  }
}
