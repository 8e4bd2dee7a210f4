package io.nassearch.coordinator.algorithm.localsearch;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import java.util.Map;
import java.util.Set;

/** Provides {@link LocalSearch}; setting {@code max_restarts}. */
public final class LocalSearchProvider implements SearchAlgorithmProvider {
  public static final String NAME = "local_search";
  public static final int MAX_RESTARTS = 1_000_000_000;

  /**
   * @param maxRestarts random restarts allowed after local optima; then it samples at random
   *     (default 1,000,000,000)
   */
  public record Config(int maxRestarts) implements AlgorithmConfig {
    @Override
    public Map<String, Double> settings() {
      return Map.of("max_restarts", (double) maxRestarts);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("ls");
  }

  @Override
  public AlgorithmConfig parseConfig(Map<String, Double> settings) {
    ConfigReader reader = new ConfigReader(NAME, settings);
    int maxRestarts = reader.intIn("max_restarts", MAX_RESTARTS, 0, MAX_RESTARTS);
    reader.finish();
    return new Config(maxRestarts);
  }

  @Override
  public Designer create(DesignContext context) {
    return new LocalSearch(
        context.space(), context.config(Config.class), context.seed(), context::newSeenSet);
  }
}
