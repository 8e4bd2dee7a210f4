package io.nassearch.coordinator.algorithm;

import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.CONV3;
import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.design;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import io.nassearch.coordinator.space.Architecture;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSearchTest {
  private static final SearchAlgorithmProvider PROVIDER = new RandomSearchProvider();

  @Test
  void neverRepeatsUntilTheSpaceIsUsedUp() throws Exception {
    SearchDriver driver = new SearchDriver(design(PROVIDER, Map.of(), 2), CONV3);
    Set<Architecture> all = new HashSet<>();
    int proposed = 0;
    while (proposed < 15_625) {
      List<Architecture> batch = driver.round(Math.min(997, 15_625 - proposed), 20_000);
      proposed += batch.size();
      all.addAll(batch);
    }
    assertEquals(15_625, all.size());
    assertEquals(
        3, driver.algorithm.suggest(3, Set.of()).size(), "a used-up space still gives proposals");
  }
}
