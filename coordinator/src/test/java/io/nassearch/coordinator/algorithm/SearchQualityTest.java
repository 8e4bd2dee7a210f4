package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.evolution.RegularizedEvolutionProvider;
import io.nassearch.coordinator.algorithm.localsearch.LocalSearchProvider;
import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evolution and local search must beat random search on the mean final regret over a fixed seed
 * set. The seeds are fixed, so the outcome is deterministic; the margins seen when this was written
 * are in the messages. Uses the bundled NB201 table (always on the class path) and a synthetic
 * objective.
 */
class SearchQualityTest {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  static final int SEEDS = 30;
  static BenchmarkTable table;

  @BeforeAll
  static void load() {
    table = SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).table().orElseThrow();
  }

  static double meanRegret(
      SearchAlgorithmProvider provider,
      ToDoubleFunction<Architecture> objective,
      double optimum,
      int budget,
      int batch)
      throws Exception {
    double total = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Designer algorithm =
          provider.create(new DesignContext(SPACE, provider.parseConfig(Map.of()), seed * 7919));
      SearchDriver driver = new SearchDriver(algorithm, objective).run(batch, budget);
      assertEquals(budget, driver.order.size(), provider.name() + " stalled");
      total += optimum - driver.best;
    }
    return total / SEEDS;
  }

  private static void assertBeatsRandom(
      ToDoubleFunction<Architecture> objective, double optimum, int budget, int batch)
      throws Exception {
    double random = meanRegret(new RandomSearchProvider(), objective, optimum, budget, batch);
    double evolution =
        meanRegret(new RegularizedEvolutionProvider(), objective, optimum, budget, batch);
    double local = meanRegret(new LocalSearchProvider(), objective, optimum, budget, batch);
    String margins =
        String.format(
            "mean regret: random %.4f, evolution %.4f, local search %.4f",
            random, evolution, local);
    System.out.println("budget " + budget + ", batch " + batch + ": " + margins);
    assertTrue(evolution < random, margins);
    assertTrue(local < random, margins);
  }

  @Test
  void beatRandomOnNb201Cifar10Valid() throws Exception {
    assertBeatsRandom(
        a -> table.value(a, "cifar10_valid").orElseThrow(),
        table.optimum("cifar10_valid"),
        300,
        10);
  }

  @Test
  void beatRandomOnNb201Cifar100TestWithLargeBatches() throws Exception {
    assertBeatsRandom(
        a -> table.value(a, "cifar100_test").orElseThrow(),
        table.optimum("cifar100_test"),
        600,
        64);
  }

  @Test
  void beatRandomOnTheConv3Count() throws Exception {
    assertBeatsRandom(AlgorithmContractTest.CONV3, 6 + 96 / 1000.0, 200, 10);
  }
}
