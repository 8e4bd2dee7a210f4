package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Every search algorithm, in the shape of OSS Vizier's Designer: {@link #suggest} architectures to
 * evaluate given what is still pending, {@link #update} with what completed. Where the values come
 * from is not its business: the search's surrogate on the workers, a benchmark table, or a client's
 * training loop (ask/tell). A {@link SearchAlgorithmProvider} makes one from a {@link
 * DesignContext}.
 *
 * <p>The behaviour is a function of (config, seed, the sequence of calls): {@code suggest} may
 * advance the designer's own seeded generator, never a global one, and {@link #snapshot} captures
 * it. The runner keeps every completed result, so a designer need not put them in its snapshot:
 * {@link #restore} gets them back in completion order. Not thread-safe: one caller at a time.
 */
public interface Designer extends AutoCloseable {
  /**
   * Between 1 and {@code count} (>= 1) members of the space to evaluate next. Designers avoid
   * architectures already completed or in {@code pending} where that is cheap, but may repeat one
   * (the caller then answers from its cache); fewer than {@code count}, or none, only when the
   * space is used up.
   */
  List<Architecture> suggest(int count, Set<Architecture> pending)
      throws InterruptedException, ExecutionException;

  /**
   * Completed evaluations (higher is better; {@code -Infinity} for an architecture that breaks the
   * search's constraints), in the order they were suggested. Repeats of earlier results may come
   * again.
   */
  void update(List<Scored> completed);

  /**
   * An architecture that could not be evaluated; designers that remember failures never suggest it
   * again.
   */
  default void failed(Architecture architecture) {}

  /** How many suggestions a loop that evaluates everything at once should ask for at a time. */
  default int batchSize() {
    return 1;
  }

  /**
   * Where its predictor ranks {@code architecture} among the candidates of its latest ranking, as
   * the fraction predicted better (0 = best); empty without a prediction for it.
   */
  default OptionalDouble predictedRankFraction(Architecture architecture) {
    return OptionalDouble.empty();
  }

  /** Times the designer has retrained its predictor (0 for designers without one). */
  default int retrains() {
    return 0;
  }

  /**
   * The state, random generator included, without the completed results (the caller keeps those).
   */
  byte[] snapshot();

  /**
   * Replaces this instance's state with a snapshot of an instance of the same provider, config and
   * space, and the results completed up to it, in order. Throws {@link IllegalArgumentException}
   * for a snapshot of anything else or corrupt bytes.
   */
  void restore(byte[] snapshot, List<Scored> completed);

  /** Frees what the designer holds outside the JVM heap (models kept for warm starts). */
  @Override
  default void close() {}
}
