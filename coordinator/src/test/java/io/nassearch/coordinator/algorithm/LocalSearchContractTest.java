package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void climbsToTheOptimumOfAUnimodalObjective() throws Exception {
    SearchDriver driver = new SearchDriver(create(9), CONV3);
    driver.run(24, 24 * 8);
    Architecture allConv3 = Architecture.of(3, 3, 3, 3, 3, 3);
    assertTrue(driver.scores.containsKey(allConv3), "best found " + driver.best);
  }

  @Test
  void startsWithARandomArchitectureAndItsNeighbours() throws Exception {
    Designer ls = create(1);
    List<Architecture> first = ls.suggest(100, Set.of());
    assertEquals(25, first.size());
    assertEquals(SPACE.neighbours(first.get(0)), first.subList(1, 25));
  }

  @Test
  void withoutRestartsItFallsBackToRandomProposals() throws Exception {
    Designer ls =
        provider()
            .create(
                new DesignContext(SPACE, provider().parseConfig(Map.of("max_restarts", 0.0)), 2));
    SearchDriver driver = new SearchDriver(ls, CONV3).run(30, 500);
    assertEquals(500, driver.order.size());
    assertEquals(
        30, ls.suggest(30, Set.of()).size(), "after the only climb it samples full random batches");
  }
}
