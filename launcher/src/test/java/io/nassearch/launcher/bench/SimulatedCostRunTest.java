package io.nassearch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import io.nassearch.coordinator.algorithm.stopping.StoppingRule;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulated GPU clock against a hand computation over the same random suggestions: a full
 * training costs the table's time, a 12-epoch measurement 12/200 of it, and a trial successive
 * halving stops at 12 epochs costs only that and never becomes the incumbent.
 */
class SimulatedCostRunTest {
  static final SpaceCatalog.Loaded NB201 =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.fromEnvironment());
  static final EnumerableSearchSpace SPACE = NB201.space();
  static final BenchmarkTable TABLE = NB201.table().orElseThrow();
  static final double CAP_HOURS = 6;

  static Designer random(long seed) {
    RandomSearchProvider p = new RandomSearchProvider();
    return p.create(new DesignContext(SPACE, p.parseConfig(Map.of()), seed, null, null));
  }

  static double col(Architecture a, String column) {
    return TABLE.value(a, column).orElseThrow();
  }

  /** The expected events, replaying the suggestions of {@code random(seed)}. */
  static List<SimulatedCostRun.Event> byHand(long seed, boolean asha) throws Exception {
    List<SimulatedCostRun.Event> out = new ArrayList<>();
    List<Double> rung = new ArrayList<>();
    double seconds = 0;
    double best = Double.NEGATIVE_INFINITY;
    try (Designer d = random(seed)) {
      while (seconds < CAP_HOURS * 3600) {
        Architecture a = d.suggest(1, Set.of()).get(0);
        double time = col(a, SimulatedCostRun.TIME);
        if (asha) {
          seconds += time * 12 / 200;
          double early = col(a, SimulatedCostRun.VALID_12);
          rung.add(early);
          rung.sort(Comparator.reverseOrder());
          if (early < rung.get(Math.max(1, rung.size() / 3) - 1)) {
            d.update(List.of(new Scored(a, early)));
            continue; // stopped: the incumbent cannot change
          }
          seconds += time * 188 / 200;
        } else {
          seconds += time;
        }
        d.update(List.of(new Scored(a, col(a, SimulatedCostRun.VALID))));
        if (col(a, SimulatedCostRun.VALID) > best) {
          best = col(a, SimulatedCostRun.VALID);
          out.add(new SimulatedCostRun.Event(seconds, col(a, SimulatedCostRun.TEST)));
        }
      }
    }
    return out;
  }

  @Test
  void fullTrainingsCostTheTablesTime() throws Exception {
    List<SimulatedCostRun.Event> events =
        new SimulatedCostRun(TABLE, CAP_HOURS * 3600, null).designer(random(3), null).events();
    assertEquals(byHand(3, false), events);
  }

  @Test
  void stoppedTrialsCostTwelveEpochs() throws Exception {
    Designer d = random(3);
    StoppingRule asha = StoppingRule.of(CostBench.rule("asha"), d);
    List<SimulatedCostRun.Event> events =
        new SimulatedCostRun(TABLE, CAP_HOURS * 3600, null).designer(d, asha).events();
    List<SimulatedCostRun.Event> expected = byHand(3, true);
    assertEquals(expected.size(), events.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).seconds(), events.get(i).seconds(), 1e-6);
      assertEquals(expected.get(i).test(), events.get(i).test());
    }
  }
}
