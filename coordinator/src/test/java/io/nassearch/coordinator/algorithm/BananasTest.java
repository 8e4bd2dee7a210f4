package io.nassearch.coordinator.algorithm;

import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.CONV3;
import static io.nassearch.coordinator.algorithm.AlgorithmContractTest.SPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.bananas.Bananas;
import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BananasTest {
  private static final SearchAlgorithmProvider PROVIDER = new Bananas.Provider();

  /**
   * Every acquisition ranks by the predictor: on a linear objective each beats its own warm-up
   * quickly.
   */
  @Test
  void everyAcquisitionClimbsALinearObjective() throws Exception {
    for (double acquisition : new double[] {0, 1, 2}) {
      Designer bananas =
          PROVIDER.create(
              new DesignContext(
                  SPACE,
                  PROVIDER.parseConfig(Map.of("acquisition", acquisition)),
                  4,
                  new RidgePredictor(),
                  null));
      SearchDriver driver = new SearchDriver(bananas, CONV3).run(10, 60);
      double warmUpBest =
          driver.order.subList(0, 10).stream()
              .mapToDouble(CONV3::applyAsDouble)
              .max()
              .orElseThrow();
      assertTrue(
          driver.best > warmUpBest,
          "acquisition " + acquisition + " never improved on its warm-up");
      assertTrue(driver.best >= 5, "acquisition " + acquisition + " best " + driver.best);
    }
  }

  @Test
  void pathEncodingOfTheAllConvCellHasOneFeaturePerPathLength() throws Exception {
    // 84 = 4 + 16 + 64 op sequences of length 1..3 over the four ops that keep their edge.
    RidgePredictor predictor = new RidgePredictor();
    Designer bananas =
        PROVIDER.create(
            new DesignContext(
                SPACE, PROVIDER.parseConfig(Map.of("initial_queries", 2.0)), 1, predictor, null));
    List<Architecture> warm = bananas.suggest(2, Set.of());
    bananas.update(warm.stream().map(a -> new Scored(a, CONV3.applyAsDouble(a))).toList());
    bananas.suggest(1, Set.of());
    assertEquals(84, predictor.lastWidth, "the predictor sees NB201's path encoding");
  }

  @Test
  void pathEncodingMarksEachLiveOpSequenceOnce() {
    Bananas.PathEncoding paths = new Bananas.PathEncoding(SPACE.cellGraph().orElseThrow());
    assertEquals(84, paths.width());
    // Kept ops renumbered: skip 0, conv1x1 1, conv3x3 2, pool 3. Offsets: length 1 at 0, 2 at 4, 3
    // at 20.
    assertEquals(List.of(2, 4 + 10, 20 + 42), ones(paths, Architecture.of(3, 3, 3, 3, 3, 3)));
    // Without the direct edge 0->3 only the longer routes remain; 0-1-3 and 0-2-3 share one
    // feature.
    assertEquals(List.of(4 + 10, 20 + 42), ones(paths, Architecture.of(3, 3, 3, 0, 3, 3)));
    // skip 0->1, conv1x1 1->3, pool 0->3, the rest none: paths (pool) and (skip, conv1x1).
    assertEquals(List.of(3, 4 + 1), ones(paths, Architecture.of(1, 0, 0, 4, 2, 0)));
  }

  private static List<Integer> ones(Bananas.PathEncoding paths, Architecture a) {
    float[] x = new float[paths.width() + 2];
    java.util.Arrays.fill(x, 7f);
    paths.encode(a, x, 1);
    assertEquals(7f, x[0]);
    assertEquals(7f, x[x.length - 1], "writes only its own row");
    List<Integer> out = new java.util.ArrayList<>();
    for (int i = 1; i <= paths.width(); i++) {
      if (x[i] == 1f) {
        out.add(i - 1);
      } else {
        assertEquals(0f, x[i]);
      }
    }
    return out;
  }
}
