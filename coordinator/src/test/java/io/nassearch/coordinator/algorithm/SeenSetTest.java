package io.nassearch.coordinator.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.space.Architecture;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeenSetTest {
  /** A random architecture of 20 decisions with 7 options: about 8e16 of them. */
  private static Architecture random(SplittableRandom rng) {
    int[] choices = new int[20];
    for (int i = 0; i < choices.length; i++) {
      choices[i] = rng.nextInt(7);
    }
    return Architecture.of(choices);
  }

  @Test
  void theExactSetAnswersLikeAHashSet() {
    SeenSet seen = SeenSet.forEvaluations(SeenSet.EXACT_LIMIT);
    assertFalse(seen.approximate());
    Set<Architecture> truth = new HashSet<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      // a small space half the time, so that repeats happen
      Architecture a = i % 2 == 0 ? random(rng) : Architecture.of(rng.nextInt(40), rng.nextInt(40));
      assertEquals(truth.contains(a), seen.contains(a));
      assertEquals(truth.add(a), seen.add(a));
    }
    assertTrue(seen.contains(Architecture.of(0, 0)) == truth.contains(Architecture.of(0, 0)));
  }

  @Test
  void theFilterNeverForgetsAndRarelyMistakesANewArchitectureForASeenOne() {
    int n = (int) SeenSet.EXACT_LIMIT + 1;
    SeenSet seen = SeenSet.forEvaluations(n);
    assertTrue(seen.approximate());
    SplittableRandom rng = new SplittableRandom(2);
    Architecture[] added = new Architecture[n];
    for (int i = 0; i < n; i++) {
      added[i] = random(rng);
      seen.add(added[i]);
    }
    for (Architecture a : added) {
      assertTrue(seen.contains(a));
    }
    int falsePositives = 0;
    int probes = 200_000;
    for (int i = 0; i < probes; i++) {
      int[] choices = new int[20];
      for (int d = 0; d < 20; d++) {
        choices[d] = 7 + rng.nextInt(7); // options no added architecture has
      }
      if (seen.contains(Architecture.of(choices))) {
        falsePositives++;
      }
    }
    double rate = (double) falsePositives / probes;
    assertTrue(rate < 0.004, "false-positive rate " + rate + " at the designed load");
  }

  @Test
  void keysOfDifferentArchitecturesDiffer() {
    Set<Long> keys = new HashSet<>();
    for (int a = 0; a < 50; a++) {
      for (int b = 0; b < 50; b++) {
        for (int c = 0; c < 50; c++) {
          assertTrue(keys.add(Architecture.of(a, b, c).key()));
        }
      }
    }
    assertFalse(keys.contains(Architecture.of(0, 0, 0, 0).key()), "length is part of the key");
  }
}
