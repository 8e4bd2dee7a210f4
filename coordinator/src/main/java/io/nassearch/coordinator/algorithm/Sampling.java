package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Helpers for algorithms that should not waste proposals on architectures they already have. */
public final class Sampling {
  private static final int REJECTION_ATTEMPTS = 64;

  private Sampling() {}

  /**
   * A uniformly random architecture in neither {@code seen} nor {@code batch}. Tries rejection sampling
   * first; for a finite enumerable space that is nearly used up it then picks uniformly among the
   * remaining members. Returns a repeat only when the space is used up (or, for spaces that cannot be
   * enumerated, when rejection sampling keeps failing). Deterministic for the generator's state and the
   * sets' contents.
   */
  public static Architecture sampleAvoiding(
      SearchSpace space, RandomGenerator rng, Set<Architecture> seen, Set<Architecture> batch) {
    for (int attempt = 0; attempt < REJECTION_ATTEMPTS; attempt++) {
      Architecture a = space.sample(rng);
      if (!seen.contains(a) && !batch.contains(a)) {
        return a;
      }
    }
    if (space instanceof EnumerableSearchSpace enumerable) {
      long size = enumerable.size();
      long free = 0;
      for (long i = 0; i < size; i++) {
        if (isFree(enumerable.fromOrdinal(i), seen, batch)) {
          free++;
        }
      }
      if (free > 0) {
        long pick = rng.nextLong(free);
        for (long i = 0; i < size; i++) {
          Architecture a = enumerable.fromOrdinal(i);
          if (isFree(a, seen, batch) && pick-- == 0) {
            return a;
          }
        }
      }
    }
    return space.sample(rng);
  }

  private static boolean isFree(Architecture a, Set<Architecture> seen, Set<Architecture> batch) {
    return !seen.contains(a) && !batch.contains(a);
  }

  /** Throws {@link IllegalArgumentException} unless {@code n >= 1}. */
  public static void requirePositive(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("propose(n) needs n >= 1, got " + n);
    }
  }
}
