package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;

/**
 * The architectures a search has evaluated, held as 64-bit keys ({@link Architecture#key}) rather
 * than objects: {@link #exact} for searches of up to {@value #EXACT_LIMIT} evaluations, a Bloom
 * filter of fixed size beyond that, so memory stays flat however many candidates are scored.
 * Neither forgets an added architecture; the filter may also say "seen" for a new one (about 0.1%
 * of them at its designed load). Not thread-safe.
 */
public interface SeenSet {
  /** Evaluations up to which a search keeps an exact set. */
  long EXACT_LIMIT = 1_000_000;

  /** Adds {@code a}; returns whether it was not (as far as the set can tell) there before. */
  boolean add(Architecture a);

  boolean contains(Architecture a);

  /** Whether a "seen" may be wrong for a new architecture. */
  boolean approximate();

  /** An exact set of keys that grows as needed. */
  static SeenSet exact() {
    return new ExactSeenSet();
  }

  /**
   * The set for a search of up to {@code expectedEvaluations}: exact up to {@value #EXACT_LIMIT}
   * (or when 0, unknown), else a Bloom filter sized for them.
   */
  static SeenSet forEvaluations(long expectedEvaluations) {
    return expectedEvaluations <= EXACT_LIMIT ? exact() : new BloomSeenSet(expectedEvaluations);
  }
}
