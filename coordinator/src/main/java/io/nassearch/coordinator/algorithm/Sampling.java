package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Helpers for algorithms that should not waste proposals on architectures they already have. */
public final class Sampling {
  private static final int REJECTION_ATTEMPTS = 64;

  private Sampling() {}

  /**
   * A uniformly random architecture in neither {@code seen} nor {@code batch}. Tries rejection
   * sampling first; for a finite enumerable space that is nearly used up it then picks uniformly
   * among the remaining members. Returns a repeat only when the space is used up (or, for spaces
   * that cannot be enumerated, when rejection sampling keeps failing). Deterministic for the
   * generator's state and the sets' contents.
   */
  public static Architecture sampleAvoiding(
      SearchSpace space, RandomGenerator rng, Set<Architecture> seen, Set<Architecture> batch) {
    return sampleAvoiding(space, rng, a -> seen.contains(a) || batch.contains(a));
  }

  /** As above, avoiding the architectures {@code taken} says are taken. */
  public static Architecture sampleAvoiding(
      SearchSpace space, RandomGenerator rng, Predicate<Architecture> taken) {
    for (int attempt = 0; attempt < REJECTION_ATTEMPTS; attempt++) {
      Architecture a = space.sample(rng);
      if (!taken.test(a)) {
        return a;
      }
    }
    if (space instanceof EnumerableSearchSpace enumerable) {
      long size = enumerable.size();
      long free = 0;
      for (long i = 0; i < size; i++) {
        if (!taken.test(enumerable.fromOrdinal(i))) {
          free++;
        }
      }
      if (free > 0) {
        long pick = rng.nextLong(free);
        for (long i = 0; i < size; i++) {
          Architecture a = enumerable.fromOrdinal(i);
          if (!taken.test(a) && pick-- == 0) {
            return a;
          }
        }
      }
    }
    return space.sample(rng);
  }

  /**
   * Up to {@code n} distinct random members that are not {@code excluded} and pass {@code
   * feasible}; fewer only when no more exist. Tight constraints defeat rejection sampling, so for
   * an enumerable space it then draws from the feasible members that are left.
   */
  public static List<Architecture> feasibleUnseen(
      SearchSpace space,
      RandomGenerator rng,
      int n,
      Set<Architecture> excluded,
      Predicate<Architecture> feasible) {
    Set<Architecture> out = new LinkedHashSet<>();
    Set<Architecture> rejected = new UnionView<>(List.of(excluded));
    for (int attempts = 0; out.size() < n && attempts < 100 * n + 1_000; attempts++) {
      Architecture a = sampleAvoiding(space, rng, rejected, out);
      if (rejected.contains(a) || out.contains(a)) {
        break; // space used up
      }
      if (feasible.test(a)) {
        out.add(a);
      } else {
        rejected.add(a);
      }
    }
    if (out.size() < n && space instanceof EnumerableSearchSpace enumerable) {
      List<Architecture> left = new ArrayList<>();
      for (long i = 0; i < enumerable.size(); i++) {
        Architecture a = enumerable.fromOrdinal(i);
        if (!excluded.contains(a) && !out.contains(a) && feasible.test(a)) {
          left.add(a);
        }
      }
      while (out.size() < n && !left.isEmpty()) {
        out.add(left.remove(rng.nextInt(left.size())));
      }
    }
    return new ArrayList<>(out);
  }

  /** Throws {@link IllegalArgumentException} unless {@code n >= 1}. */
  public static void requirePositive(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("suggest(n) needs n >= 1, got " + n);
    }
  }
}
