package io.nassearch.coordinator.algorithm.evolution;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.InvalidAlgorithmConfigException;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link RegularizedEvolution}; settings {@code population_size} and {@code sample_size}.
 */
public final class RegularizedEvolutionProvider implements SearchAlgorithmProvider {
  public static final String NAME = "regularized_evolution";
  public static final int MAX_POPULATION = 100_000;

  /**
   * @param populationSize how many of the most recent observations form the population (default 64)
   * @param sampleSize tournament size, at most the population size (default 16)
   */
  public record Config(int populationSize, int sampleSize) implements AlgorithmConfig {
    @Override
    public Map<String, Double> settings() {
      return Map.of("population_size", (double) populationSize, "sample_size", (double) sampleSize);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("evolution");
  }

  @Override
  public AlgorithmConfig parseConfig(Map<String, Double> settings) {
    ConfigReader reader = new ConfigReader(NAME, settings);
    int population = reader.intIn("population_size", 64, 2, MAX_POPULATION);
    int sample = reader.intIn("sample_size", 16, 1, MAX_POPULATION);
    reader.finish();
    if (sample > population) {
      throw new InvalidAlgorithmConfigException(
          NAME,
          "sample_size",
          "must be in [1, population_size = " + population + "], got " + sample);
    }
    return new Config(population, sample);
  }

  @Override
  public Designer create(DesignContext context) {
    return new RegularizedEvolution(
        context.space(), context.config(Config.class), context.seed(), context::newSeenSet);
  }
}
