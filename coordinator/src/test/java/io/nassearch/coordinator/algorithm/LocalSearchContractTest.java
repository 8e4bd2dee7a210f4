package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSearchContractTest extends AlgorithmContractTest {
  @Override
  SearchAlgorithmProvider provider() {
    return new LocalSearchProvider();
  }

  @Override
  Map<Map<String, Double>, String> badSettings() {
    return Map.of(
        Map.of("max_restarts", -1.0), "max_restarts",
        Map.of("max_restarts", 0.5), "max_restarts",
        Map.of("max_restarts", Double.POSITIVE_INFINITY), "max_restarts");
  }

  @Test
  void climbsToTheOptimumOfAUnimodalObjective() {
    SearchDriver driver = new SearchDriver(create(9), CONV3);
    driver.run(24, 24 * 8);
    Architecture allConv3 = Architecture.of(3, 3, 3, 3, 3, 3);
    assertTrue(driver.scores.containsKey(allConv3), "best found " + driver.best);
  }

  @Test
  void startsWithARandomArchitectureAndItsNeighbours() {
    SearchAlgorithm ls = create(1);
    List<Architecture> first = ls.propose(100);
    assertEquals(25, first.size());
    assertEquals(SPACE.neighbours(first.get(0)), first.subList(1, 25));
  }

  @Test
  void withoutRestartsItFallsBackToRandomProposals() {
    SearchAlgorithm ls = provider().create(SPACE, provider().parseConfig(Map.of("max_restarts", 0.0)), 2);
    SearchDriver driver = new SearchDriver(ls, CONV3).run(30, 500);
    assertEquals(500, driver.order.size());
    assertEquals(30, ls.propose(30).size(), "after the only climb it samples full random batches");
  }
}
