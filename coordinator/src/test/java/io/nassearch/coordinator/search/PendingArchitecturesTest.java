package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.coordinator.space.Architecture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PendingArchitecturesTest {
  /** Random adds and removes against a counting HashMap, through growth and deletions. */
  @Test
  void answersLikeACountingMap() {
    PendingArchitectures pending = new PendingArchitectures();
    Map<Architecture, Integer> truth = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(9);
    for (int step = 0; step < 200_000; step++) {
      Architecture a = Architecture.of(rng.nextInt(3000), rng.nextInt(3));
      if (rng.nextInt(3) > 0) {
        pending.add(a, 1);
        truth.merge(a, 1, Integer::sum);
      } else if (truth.containsKey(a)) {
        pending.remove(a, 1);
        truth.computeIfPresent(a, (x, n) -> n == 1 ? null : n - 1);
      }
      Architecture probe = Architecture.of(rng.nextInt(3000), rng.nextInt(3));
      assertEquals(truth.containsKey(probe), pending.contains(probe), "step " + step);
    }
    assertEquals(truth.size(), pending.size());
    assertEquals(truth.keySet(), new HashSet<>(pending));
  }
}
