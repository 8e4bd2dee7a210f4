package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeenSet;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoredSummaryTest {
  private static final SearchSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();

  /**
   * The candidates a store holds after applying every delta, restored into a new summary with its
   * state, give the same top, count and sample; a search that keeps everything stores every
   * candidate, a bigger one only its top.
   */
  @ParameterizedTest
  @ValueSource(longs = {3_000, SeenSet.EXACT_LIMIT + 1})
  void aRestoredSummaryEqualsTheOneThatWasStored(long budget) throws Exception {
    ScoredSummary summary = new ScoredSummary(SPACE, budget, 10, 7);
    Map<String, Double> stored = new LinkedHashMap<>();
    SplittableRandom rng = new SplittableRandom(5);
    int added = 0;
    for (int i = 0; i < 6_000; i++) {
      Architecture a = SPACE.sample(rng);
      double score = rng.nextInt(1000) / 10.0;
      if (summary.add(a, score)) {
        added++;
      } else {
        assertTrue(summary.seen(a));
      }
      if (i % 500 == 0) {
        apply(summary.takeDelta(), stored);
      }
    }
    apply(summary.takeDelta(), stored);
    assertEquals(added, summary.distinct());
    assertEquals(summary.keepsAll() ? added : 10, stored.size());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    summary.write(new DataOutputStream(bytes));
    List<ScoredCandidate> candidates = new ArrayList<>();
    stored.forEach((a, s) -> candidates.add(new ScoredCandidate(a, s)));
    ScoredSummary restored = new ScoredSummary(SPACE, budget, 10, 7);
    List<Scored> forDesigner =
        restored.restore(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), candidates);

    assertEquals(summary.distinct(), restored.distinct());
    assertEquals(summary.top(), restored.top());
    assertEquals(summary.sample(), restored.sample());
    assertEquals(summary.keepsAll() ? added : 10 + ScoredSummary.SAMPLE_SIZE, forDesigner.size());
    assertTrue(restored.takeDelta().added().isEmpty(), "restoring stores nothing again");
    Architecture top = summary.best().orElseThrow().architecture();
    assertFalse(restored.add(top, 0), "the top counts as seen after a restore");
  }

  private static void apply(ScoredSummary.Delta delta, Map<String, Double> stored) {
    delta.removed().forEach(a -> assertTrue(stored.remove(a) != null, a + " was stored"));
    delta.added().forEach(c -> stored.put(c.architecture(), c.score()));
  }
}
