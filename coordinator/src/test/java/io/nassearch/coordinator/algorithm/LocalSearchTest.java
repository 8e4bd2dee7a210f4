package io.nassearch.coordinator.algorithm;

import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.CONV3;
import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.SPACE;
import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.design;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalSearchTest {
  private static final SearchAlgorithmProvider PROVIDER = new LocalSearchProvider();

  @Test
  void climbsToTheOptimumOfAUnimodalObjective() throws Exception {
    SearchDriver driver = new SearchDriver(design(PROVIDER, Map.of(), 9), CONV3);
    driver.run(24, 24 * 8);
    Architecture allConv3 = Architecture.of(3, 3, 3, 3, 3, 3);
    assertTrue(driver.scores.containsKey(allConv3), "best found " + driver.best);
  }

  @Test
  void startsWithARandomArchitectureAndItsNeighbours() throws Exception {
    Designer ls = design(PROVIDER, Map.of(), 1);
    List<Architecture> first = ls.suggest(100, Set.of());
    assertEquals(25, first.size());
    assertEquals(SPACE.neighbours(first.get(0)), first.subList(1, 25));
  }

  @Test
  void withoutRestartsItFallsBackToRandomProposals() throws Exception {
    Designer ls =
        PROVIDER.create(
            new DesignContext(SPACE, PROVIDER.parseConfig(Map.of("max_restarts", 0.0)), 2));
    SearchDriver driver = new SearchDriver(ls, CONV3).run(30, 500);
    assertEquals(500, driver.order.size());
    assertEquals(
        30, ls.suggest(30, Set.of()).size(), "after the only climb it samples full random batches");
  }
}
