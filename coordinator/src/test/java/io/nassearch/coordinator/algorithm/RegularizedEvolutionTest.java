package io.nassearch.coordinator.algorithm;

import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.CONV3;
import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.SPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.evolution.RegularizedEvolutionProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizedEvolutionTest {
  private static final SearchAlgorithmProvider PROVIDER = new RegularizedEvolutionProvider();

  @Test
  void defaultsAreThePapersPopulationAndSampleSizes() throws Exception {
    assertEquals(new RegularizedEvolutionProvider.Config(64, 16), PROVIDER.parseConfig(Map.of()));
    assertEquals(
        new RegularizedEvolutionProvider.Config(10, 3),
        PROVIDER.parseConfig(Map.of("population_size", 10.0, "sample_size", 3.0)));
  }

  @Test
  void childrenAreSingleMutationsOfThePopulationOnceItIsFull() throws Exception {
    Designer evolution =
        PROVIDER.create(
            new DesignContext(
                SPACE,
                PROVIDER.parseConfig(Map.of("population_size", 10.0, "sample_size", 3.0)),
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
