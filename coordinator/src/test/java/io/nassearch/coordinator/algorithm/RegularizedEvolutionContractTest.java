package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.evolution.RegularizedEvolutionProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizedEvolutionContractTest extends AlgorithmContractTest {
  @Override
  SearchAlgorithmProvider provider() {
    return new RegularizedEvolutionProvider();
  }

  @Override
  Map<Map<String, Double>, String> badSettings() {
    return Map.of(
        Map.of("population_size", 1.0), "population_size",
        Map.of("population_size", 64.5), "population_size",
        Map.of("population_size", Double.NaN), "population_size",
        Map.of("sample_size", 0.0), "sample_size",
        Map.of("population_size", 8.0, "sample_size", 9.0), "sample_size");
  }

  @Test
  void defaultsAreThePapersPopulationAndSampleSizes() throws Exception {
    assertEquals(new RegularizedEvolutionProvider.Config(64, 16), provider().parseConfig(Map.of()));
    assertEquals(
        new RegularizedEvolutionProvider.Config(10, 3),
        provider().parseConfig(Map.of("population_size", 10.0, "sample_size", 3.0)));
  }

  @Test
  void childrenAreSingleMutationsOfThePopulationOnceItIsFull() throws Exception {
    Designer evolution =
        provider()
            .create(
                new DesignContext(
                    SPACE,
                    provider().parseConfig(Map.of("population_size", 10.0, "sample_size", 3.0)),
                    4));
    SearchDriver driver = new SearchDriver(evolution, CONV3);
    List<Architecture> first = driver.round(10, 1000);
    List<Architecture> population = first;
    for (int round = 0; round < 20; round++) {
      List<Architecture> children = driver.round(1, 1000);
      Architecture child = children.get(0);
      assertTrue(
          population.stream().anyMatch(p -> differences(p, child) == 1),
          child + " is no single mutation of the last 10 observed " + population);
      population = new java.util.ArrayList<>(population.subList(1, 10));
      population.add(child);
    }
  }

  static int differences(Architecture a, Architecture b) {
    int d = 0;
    for (int i = 0; i < a.size(); i++) {
      d += a.choice(i) == b.choice(i) ? 0 : 1;
    }
    return d;
  }
}
