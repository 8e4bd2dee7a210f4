package io.nassearch.coordinator.search;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Training rows for a surrogate when the benchmark table labels only a small part of the space
 * (DARTS with the NB301 subset, NB101 with NASLib's 500 cells): sampling the space would rarely hit
 * a labelled row, so the rows are drawn from the labelled ones.
 */
final class LabelledRows {
  /** The table labels a small part of the space when it has under a tenth of its members. */
  private static final long SPARSE_FACTOR = 10;

  private LabelledRows() {}

  /**
   * Whether the table labels only a small part of the space (or the space is too large to count).
   */
  static boolean sparse(SearchSpace space, BenchmarkTable table) {
    return space.size() == 0 || space.size() > SPARSE_FACTOR * table.rows();
  }

  /**
   * When {@link #sparse}, adds up to {@code n} distinct labelled architectures, a uniform draw with
   * {@code rng}, to {@code chosen} and their values to {@code truths}; else changes nothing (and
   * draws nothing from {@code rng}), so dense tables such as NB201's train as before.
   */
  static void drawIfSparse(
      SearchSpace space,
      BenchmarkTable table,
      String objective,
      int n,
      SplittableRandom rng,
      Set<Architecture> chosen,
      List<Double> truths) {
    if (!sparse(space, table)) {
      return;
    }
    List<Architecture> labelled = table.labelledMembers(objective);
    for (int i = 0; i < n && i < labelled.size(); i++) {
      java.util.Collections.swap(labelled, i, i + rng.nextInt(labelled.size() - i));
      Architecture a = labelled.get(i);
      chosen.add(a);
      truths.add(table.value(a, objective).getAsDouble());
    }
  }
}
