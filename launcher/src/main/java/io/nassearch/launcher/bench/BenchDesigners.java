package io.nassearch.launcher.bench;

import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import io.nassearch.coordinator.algorithm.SearchAlgorithmRegistry;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearch;
import io.nassearch.coordinator.algorithm.tradeoff.Tradeoff;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.worker.surrogate.LossKind;
import io.nassearch.worker.surrogate.SurrogateConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The designers a bench runs, by label: a registered algorithm with settings, or a preset. */
final class BenchDesigners {
  private final Map<String, Double> guidedSettings;
  private final EpochsOption epochs;

  BenchDesigners(Map<String, Double> guidedSettings, EpochsOption epochs) {
    this.guidedSettings = guidedSettings;
    this.epochs = epochs;
  }

  /** The presets' meaning, as NAME:key=value settings: what the bench's labels have always run. */
  private static final Map<String, String> PRESETS =
      Map.of(
          "evolution", "regularized_evolution:population_size=10:sample_size=3",
          "guided", "predictor_guided:loss=" + LossKind.BEST_RANKING.cliName(),
          "guided_mse", "predictor_guided:loss=mse",
          "guided_hinge", "predictor_guided:loss=hinge",
          "guided_listmle", "predictor_guided:loss=listmle");

  /**
   * A designer for one run: the algorithm from the registry, its settings, and an in-process
   * predictor if it needs one.
   */
  Designer create(String label, EnumerableSearchSpace space, Tradeoff tradeoff, long seed) {
    String[] parts = PRESETS.getOrDefault(label, label).split(":");
    SearchAlgorithmProvider provider = SearchAlgorithmRegistry.getDefault().get(parts[0]);
    Map<String, Double> settings =
        new LinkedHashMap<>(
            provider.name().equals(PredictorGuidedSearch.NAME) ? guidedSettings : Map.of());
    SurrogateConfig surrogate = SurrogateConfig.defaults().withLoss(LossKind.BEST_RANKING);
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "--algorithms: expected NAME[:key=value...], got '" + label + "'");
      }
      if (kv[0].equals("loss")) {
        surrogate = surrogate.withLoss(LossKind.parse(kv[1]));
      } else {
        settings.put(kv[0], parseNumber(label, kv[1]));
      }
    }
    surrogate = epochs.applyTo(surrogate);
    Predictor predictor = provider.needsPredictor() ? new InProcessPredictor(surrogate) : null;
    return provider.create(
        new DesignContext(space, provider.parseConfig(settings), seed, predictor, tradeoff));
  }

  private static double parseNumber(String label, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--algorithms: '" + value + "' in '" + label + "' is not a number");
    }
  }
}
