package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopCandidatesTest {
  @Test
  void keepsWhatAStableSortOfEverythingRanksFirstAndReportsEveryChange() {
    SplittableRandom rng = new SplittableRandom(3);
    TopCandidates top = new TopCandidates(25);
    List<Map.Entry<Architecture, Double>> all = new ArrayList<>();
    Map<Architecture, Double> mirror = new LinkedHashMap<>(); // what a store applying changes holds
    for (int i = 0; i < 5_000; i++) {
      Architecture a = Architecture.of(i);
      double score = rng.nextInt(200) / 4.0; // many ties
      all.add(Map.entry(a, score));
      top.offer(a, score, i);
      if (rng.nextInt(50) == 0) {
        apply(top.takeChanges(), mirror);
      }
    }
    apply(top.takeChanges(), mirror);
    all.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
    List<Map.Entry<Architecture, Double>> expected = all.subList(0, 25);
    assertEquals(expected, ranked(top.inOfferOrder()));
    assertEquals(expected, ranked(mirror));
    assertEquals(expected.get(0).getKey(), top.best().architecture());
  }

  private static void apply(TopCandidates.Changes changes, Map<Architecture, Double> mirror) {
    changes.removed().forEach(e -> assertEquals(e.score(), mirror.remove(e.architecture())));
    changes.added().forEach(e -> mirror.put(e.architecture(), e.score()));
  }

  private static List<Map.Entry<Architecture, Double>> ranked(Map<Architecture, Double> m) {
    List<Map.Entry<Architecture, Double>> out = new ArrayList<>(m.entrySet());
    out.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
    return out;
  }

  @Test
  void refusesAnEmptyTop() {
    assertThrows(IllegalArgumentException.class, () -> new TopCandidates(0));
  }
}
