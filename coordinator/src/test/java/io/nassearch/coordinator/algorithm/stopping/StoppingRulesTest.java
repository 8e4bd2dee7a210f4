package io.nassearch.coordinator.algorithm.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.EarlyStopping;
import io.nassearch.coordinator.algorithm.DesignContext;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.random.RandomSearchProvider;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rules on hand-written curves: rung placement, and the surrogate rule's quantile. */
class StoppingRulesTest {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();

  final Map<Architecture, NavigableMap<Long, Double>> curves = new HashMap<>();

  Architecture curve(int ordinal, double... valuesByStep) {
    Architecture a = SPACE.fromOrdinal(ordinal);
    NavigableMap<Long, Double> c = new TreeMap<>();
    for (int i = 0; i < valuesByStep.length; i++) {
      c.put((long) i + 1, valuesByStep[i]);
    }
    curves.put(a, c);
    return a;
  }

  StoppingRule.Curves finishedBut(Architecture running) {
    return new StoppingRule.Curves() {
      @Override
      public Map<Architecture, NavigableMap<Long, Double>> all() {
        return curves;
      }

      @Override
      public boolean isFinished(Architecture a) {
        return !a.equals(running);
      }
    };
  }

  @Test
  void rungsSitAtMinStepTimesPowersOfTheFactor() {
    SuccessiveHalving sh = new SuccessiveHalving(4, 3);
    assertEquals(-1, sh.rungAtOrBelow(3));
    assertEquals(4, sh.rungAtOrBelow(4));
    assertEquals(4, sh.rungAtOrBelow(11));
    assertEquals(12, sh.rungAtOrBelow(12));
    assertEquals(36, sh.rungAtOrBelow(107));
  }

  @Test
  void theSurrogateRuleWithoutAPredictionStopsBelowTheQuantile() {
    Designer random =
        new RandomSearchProvider()
            .create(
                new DesignContext(
                    SPACE, new RandomSearchProvider().parseConfig(Map.of()), 1, null, null));
    StoppingRule rule =
        StoppingRule.of(
            EarlyStopping.newBuilder()
                .setRule(EarlyStopping.Rule.RULE_SURROGATE)
                .setMinStep(2)
                .setQuantile(0.5)
                .setTopFraction(0.25)
                .build(),
            random);
    curve(1, 50, 60, 70);
    curve(2, 40, 50, 60);
    Architecture poor = curve(4, 10, 20);
    assertEquals(Optional.empty(), rule.shouldStop(poor, 2, finishedBut(poor)), "2 peers: too few");
    curve(3, 30, 40, 50);
    assertEquals(Optional.empty(), rule.shouldStop(poor, 1, finishedBut(poor)), "before min_step");
    Optional<String> stop = rule.shouldStop(poor, 2, finishedBut(poor));
    assertTrue(stop.isPresent() && stop.get().contains("no prediction"), stop.toString());
    Architecture fine = curve(5, 10, 55);
    assertEquals(
        Optional.empty(), rule.shouldStop(fine, 2, finishedBut(fine)), "above the median 50");
  }
}
