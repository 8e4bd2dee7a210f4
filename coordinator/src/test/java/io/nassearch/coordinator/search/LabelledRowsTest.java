package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LabelledRowsTest {
  @Test
  void dartsTrainsOnRowsOfTheNb301Table() {
    DataDirectory data = DataDirectory.fromEnvironment();
    Assumptions.assumeTrue(data.find("nb301_naslib_subset.csv").isPresent(), "no shared data");
    SpaceCatalog.Loaded darts = SpaceCatalog.builtIn("darts", data);
    BenchmarkTable table = darts.table().orElseThrow();
    assertTrue(LabelledRows.sparse(darts.space(), table));
    Set<Architecture> chosen = new LinkedHashSet<>();
    List<Double> truths = new ArrayList<>();
    LabelledRows.drawIfSparse(
        darts.space(),
        table,
        "val_accuracy_surrogate",
        200,
        new SplittableRandom(1),
        chosen,
        truths);
    assertEquals(200, chosen.size());
    int i = 0;
    for (Architecture a : chosen) {
      assertTrue(darts.space().contains(a));
      assertEquals(table.value(a, "val_accuracy_surrogate").getAsDouble(), truths.get(i++));
    }
  }

  @Test
  void aTableOfEveryMemberLeavesTrainingAsItWas() {
    SpaceCatalog.Loaded nb201 = SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none());
    BenchmarkTable table = nb201.table().orElseThrow();
    assertFalse(LabelledRows.sparse(nb201.space(), table));
    SplittableRandom rng = new SplittableRandom(5);
    Set<Architecture> chosen = new LinkedHashSet<>();
    LabelledRows.drawIfSparse(
        nb201.space(), table, "cifar10_valid", 100, rng, chosen, new ArrayList<>());
    assertTrue(chosen.isEmpty());
    assertEquals(new SplittableRandom(5).nextLong(), rng.nextLong(), "no draw from the seed");
  }
}
