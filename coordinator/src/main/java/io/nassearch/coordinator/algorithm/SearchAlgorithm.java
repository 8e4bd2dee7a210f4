package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import java.util.List;

/**
 * An ask/tell search strategy over one {@link io.nassearch.coordinator.space.SearchSpace}, made by a
 * {@link SearchAlgorithmProvider} from a config and a seed.
 *
 * <p>The caller asks for candidates with {@link #propose}, scores them, and reports the scores with
 * {@link #observe}: a subsequence of the proposals in proposal order (the caller may drop proposals it
 * will not score, e.g. past the budget, and it reports already-seen architectures with their cached
 * score). {@code propose} changes no learned state; it may advance the algorithm's own random generator,
 * whose position {@link #snapshot} captures. So the whole behaviour is a function of (config, seed, the
 * sequence of calls), and {@link #restore} on a fresh instance built from the same config and seed gives
 * an object callers cannot tell from the one snapshotted.
 *
 * <p>Implementations use only their own seeded generator, never a global {@code Random}. They are not
 * thread-safe: one search loop drives an instance from one thread.
 */
public interface SearchAlgorithm {
  /**
   * Between 1 and {@code n} candidates (n >= 1), all members of the space. Algorithms avoid proposing
   * architectures already observed where that is cheap, but may repeat one (e.g. when the space is used up).
   */
  List<Architecture> propose(int n);

  /** Scores for proposed candidates, in proposal order; higher is better. */
  void observe(List<Scored> scored);

  /** The complete state, random generator included, as bytes a store can keep. */
  byte[] snapshot();

  /**
   * Replaces this instance's state with a snapshot taken from an instance of the same algorithm, config
   * and space. Throws {@link IllegalArgumentException} for a snapshot of anything else or corrupt bytes.
   */
  void restore(byte[] snapshot);
}
