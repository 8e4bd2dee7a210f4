package io.nassearch.dist;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hard constraints on benchmark-table columns, written {@code COLUMN<=VALUE} or {@code COLUMN>=VALUE}. */
final class Constraints {
  private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(<=|>=)\\s*([-+0-9.eE]+)\\s*");

  private Constraints() {}

  /** All constraints together; an architecture without a value in a constrained column is infeasible. */
  static Predicate<Architecture> parse(List<String> expressions, BenchmarkTable table) {
    Predicate<Architecture> all = a -> true;
    for (String e : expressions) {
      Matcher m = FORM.matcher(e);
      if (!m.matches()) {
        throw new IllegalArgumentException("Expected a constraint COLUMN<=VALUE or COLUMN>=VALUE, got '" + e + "'");
      }
      String column = m.group(1);
      if (!table.columns().contains(column)) {
        throw new IllegalArgumentException("Unknown constraint column '" + column + "'; the table has " + table.columns());
      }
      double bound = Double.parseDouble(m.group(3));
      boolean atMost = m.group(2).equals("<=");
      all = all.and(a -> table.value(a, column).stream().anyMatch(v -> atMost ? v <= bound : v >= bound));
    }
    return all;
  }

  /** The feasible member with the best objective (lowest ordinal among ties); throws when none is feasible. */
  static Architecture feasibleOptimum(BenchmarkTable table, EnumerableSearchSpace space, String objective, Predicate<Architecture> feasible) {
    Architecture best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (long i = 0; i < space.size(); i++) {
      Architecture a = space.fromOrdinal(i);
      double v = table.value(a, objective).orElse(Double.NaN);
      if (!Double.isNaN(v) && v > bestValue && feasible.test(a)) {
        best = a;
        bestValue = v;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("No architecture of " + space.id() + " satisfies the constraints and has a " + objective);
    }
    return best;
  }
}
