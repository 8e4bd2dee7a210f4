package io.nassearch.client;

import io.nassearch.api.v1.Loss;
import io.nassearch.api.v1.SurrogateSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the search's surrogate is trained; zeros and "" mean server default (see {@code
 * SurrogateSpec} in {@code types.proto} for units and ranges).
 *
 * @param loss "" (server default), "mse", "pairwise", "hinge" or "listmle"
 */
public record SurrogateOptions(
    String loss,
    int hiddenUnits,
    int hiddenLayers,
    float dropout,
    float weightDecay,
    float learningRate,
    int maxEpochs,
    int batchSize,
    int patience,
    float validationFraction) {

  /** Loss names besides "" (server default). */
  public static final List<String> LOSSES = List.of("mse", "pairwise", "hinge", "listmle");

  private static final Map<String, Loss> LOSS_BY_NAME =
      Map.of(
          "", Loss.LOSS_UNSPECIFIED,
          "mse", Loss.LOSS_MSE,
          "pairwise", Loss.LOSS_PAIRWISE_LOGISTIC,
          "hinge", Loss.LOSS_PAIRWISE_HINGE,
          "listmle", Loss.LOSS_LISTMLE);

  /** Every setting left to the server; declared after the loss table it is checked against. */
  public static final SurrogateOptions DEFAULTS =
      new SurrogateOptions("", 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public SurrogateOptions {
    loss = Objects.requireNonNullElse(loss, "");
    if (!LOSS_BY_NAME.containsKey(loss)) {
      throw new IllegalArgumentException(
          "Expected loss to be one of " + LOSSES + ", but was '" + loss + "'");
    }
  }

  public SurrogateOptions withLoss(String loss) {
    return new SurrogateOptions(
        loss,
        hiddenUnits,
        hiddenLayers,
        dropout,
        weightDecay,
        learningRate,
        maxEpochs,
        batchSize,
        patience,
        validationFraction);
  }

  public static SurrogateOptions fromProto(SurrogateSpec s) {
    String lossName =
        LOSS_BY_NAME.entrySet().stream()
            .filter(e -> e.getValue() == s.getLoss())
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse("");
    return new SurrogateOptions(
        lossName,
        s.getHiddenUnits(),
        s.getHiddenLayers(),
        s.getDropout(),
        s.getWeightDecay(),
        s.getLearningRate(),
        s.getMaxEpochs(),
        s.getBatchSize(),
        s.getPatience(),
        s.getValidationFraction());
  }

  public SurrogateSpec toProto() {
    return SurrogateSpec.newBuilder()
        .setLoss(LOSS_BY_NAME.get(loss))
        .setHiddenUnits(hiddenUnits)
        .setHiddenLayers(hiddenLayers)
        .setDropout(dropout)
        .setWeightDecay(weightDecay)
        .setLearningRate(learningRate)
        .setMaxEpochs(maxEpochs)
        .setBatchSize(batchSize)
        .setPatience(patience)
        .setValidationFraction(validationFraction)
        .build();
  }
}
