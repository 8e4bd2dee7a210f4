package io.nassearch.coordinator.benchmark;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hard constraints on benchmark-table columns, written {@code COLUMN<=VALUE} or {@code
 * COLUMN>=VALUE}.
 */
public final class TableConstraints {
  private static final Pattern FORM =
      Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(<=|>=)\\s*([-+0-9.eE]+)\\s*");

  private TableConstraints() {}

  /** One bound on a column; {@code atMost} for COLUMN<=VALUE, else COLUMN>=VALUE. */
  public record Bound(String column, boolean atMost, double value) {}

  /**
   * All bounds together; an architecture without a value in a constrained column is infeasible.
   * Checked in a loop, not a chain of predicates, so thousands of bounds cost no stack.
   */
  public static Predicate<Architecture> of(List<Bound> bounds, BenchmarkTable table) {
    for (Bound b : bounds) {
      if (!table.columns().contains(b.column())) {
        throw new IllegalArgumentException(
            "Unknown constraint column '" + b.column() + "'; the table has " + table.columns());
      }
      if (!Double.isFinite(b.value())) {
        throw new IllegalArgumentException(
            "Constraint on " + b.column() + " needs a finite bound, got " + b.value());
      }
    }
    List<Bound> all = List.copyOf(bounds);
    return a -> {
      for (Bound b : all) {
        OptionalDouble v = table.value(a, b.column());
        if (v.isEmpty()
            || (b.atMost() ? v.getAsDouble() > b.value() : v.getAsDouble() < b.value())) {
          return false;
        }
      }
      return true;
    };
  }

  /** Parses {@code COLUMN<=VALUE} / {@code COLUMN>=VALUE} expressions into {@link #of}. */
  public static Predicate<Architecture> parse(List<String> expressions, BenchmarkTable table) {
    List<Bound> bounds = new java.util.ArrayList<>();
    for (String e : expressions) {
      Matcher m = FORM.matcher(e);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "Expected a constraint COLUMN<=VALUE or COLUMN>=VALUE, got '" + e + "'");
      }
      bounds.add(new Bound(m.group(1), m.group(2).equals("<="), Double.parseDouble(m.group(3))));
    }
    return of(bounds, table);
  }

  /** Every member of {@code space} that satisfies {@code feasible}, in ordinal order. */
  public static List<Architecture> feasibleMembers(
      EnumerableSearchSpace space, Predicate<Architecture> feasible) {
    List<Architecture> out = new java.util.ArrayList<>();
    for (long i = 0; i < space.size(); i++) {
      Architecture a = space.fromOrdinal(i);
      if (feasible.test(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The feasible member with the best objective (lowest ordinal among ties); throws when none is
   * feasible.
   */
  public static Architecture feasibleOptimum(
      BenchmarkTable table,
      EnumerableSearchSpace space,
      String objective,
      Predicate<Architecture> feasible) {
    Architecture best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (Architecture a : feasibleMembers(space, feasible)) {
      double v = table.value(a, objective).orElse(Double.NaN);
      if (!Double.isNaN(v) && v > bestValue) {
        best = a;
        bestValue = v;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "No architecture of " + space.id() + " satisfies the constraints and has a " + objective);
    }
    return best;
  }
}
