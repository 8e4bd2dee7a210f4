package io.nassearch.coordinator.algorithm.random;

import io.nassearch.coordinator.algorithm.AlgorithmConfig;
import io.nassearch.coordinator.algorithm.ConfigReader;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.SearchAlgorithmProvider;
import java.util.Map;
import java.util.Set;

/** Provides {@link RandomSearch}; it has no settings. */
public final class RandomSearchProvider implements SearchAlgorithmProvider {
  public static final String NAME = "random";

  /** Random search takes no settings. */
  public record Config() implements AlgorithmConfig {
    @Override
    public Map<String, Double> settings() {
      return Map.of();
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("random_search");
  }

  @Override
  public AlgorithmConfig parseConfig(Map<String, Double> settings) {
    new ConfigReader(NAME, settings).finish();
    return new Config();
  }

  @Override
  public Designer create(DesignContext context) {
    return new RandomSearch(
        context.space(), context.config(Config.class), context.seed(), context::newSeenSet);
  }
}
