package io.nassearch.coordinator.benchmark;

import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Ground truth for every architecture of one finite space: numeric columns (accuracies, costs) and
 * the benchmark's own architecture index. Values are stored densely, one {@code double[]} per
 * column indexed by {@link EnumerableSearchSpace#ordinal}; a missing value is NaN inside and an
 * empty optional outside. Optima are computed once at construction; ties go to the lowest benchmark
 * index.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class BenchmarkTable {
  private final EnumerableSearchSpace space;
  private final String source;
  private final Map<String, double[]> columns;
  private final List<String> columnNames;
  private final int[] benchmarkIndex;
  private final int rows;
  private final Map<String, Integer> bestOrdinal = new LinkedHashMap<>();

  /**
   * Takes ownership of the arrays; {@code benchmarkIndex[ordinal]} is -1 where the table has no
   * row.
   */
  BenchmarkTable(
      EnumerableSearchSpace space,
      String source,
      LinkedHashMap<String, double[]> columns,
      int[] benchmarkIndex) {
    this.space = space;
    this.source = source;
    this.columns = columns;
    this.columnNames = List.copyOf(columns.keySet());
    this.benchmarkIndex = benchmarkIndex;
    int present = 0;
    for (int index : benchmarkIndex) {
      if (index >= 0) {
        present++;
      }
    }
    this.rows = present;
    for (Map.Entry<String, double[]> column : columns.entrySet()) {
      bestOrdinal.put(column.getKey(), argMax(column.getValue()));
    }
  }

  /**
   * A table over {@code space}: one array per column indexed by ordinal (NaN = missing), and the
   * benchmark's index per ordinal (-1 where the table has no row). Takes ownership of the arrays.
   */
  public static BenchmarkTable of(
      EnumerableSearchSpace space,
      String source,
      LinkedHashMap<String, double[]> columns,
      int[] benchmarkIndex) {
    if (benchmarkIndex.length != space.size()) {
      throw new IllegalArgumentException(
          "expected one index per member of "
              + space.id()
              + " ("
              + space.size()
              + "), got "
              + benchmarkIndex.length);
    }
    for (Map.Entry<String, double[]> c : columns.entrySet()) {
      if (c.getValue().length != benchmarkIndex.length) {
        throw new IllegalArgumentException(
            "column "
                + c.getKey()
                + " has "
                + c.getValue().length
                + " values, expected "
                + benchmarkIndex.length);
      }
    }
    return new BenchmarkTable(space, source, columns, benchmarkIndex);
  }

  private int argMax(double[] values) {
    int best = -1;
    for (int ordinal = 0; ordinal < values.length; ordinal++) {
      double v = values[ordinal];
      if (Double.isNaN(v) || benchmarkIndex[ordinal] < 0) {
        continue;
      }
      if (best < 0
          || v > values[best]
          || (v == values[best] && benchmarkIndex[ordinal] < benchmarkIndex[best])) {
        best = ordinal;
      }
    }
    return best;
  }

  /** The space the table describes. */
  public EnumerableSearchSpace space() {
    return space;
  }

  /**
   * The column's value for {@code a}; empty when {@code a} is not in the space or the value is
   * missing.
   */
  public OptionalDouble value(Architecture a, String column) {
    double[] values = column(column);
    if (!space.contains(a)) {
      return OptionalDouble.empty();
    }
    double v = values[(int) space.ordinal(a)];
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** Column names in file order. */
  public List<String> columns() {
    return columnNames;
  }

  /** The largest value in the column (NaN if it has none). */
  public double optimum(String column) {
    double[] values = column(column);
    int best = bestOrdinal.get(column);
    return best < 0 ? Double.NaN : values[best];
  }

  /** An architecture with the column's largest value, the lowest benchmark index among ties. */
  public Architecture argOptimum(String column) {
    column(column);
    int best = bestOrdinal.get(column);
    if (best < 0) {
      throw new IllegalStateException("Column " + column + " of " + source + " has no values");
    }
    return space.fromOrdinal(best);
  }

  /** The benchmark's own index of {@code a} (for NB201 the official 0..15624 index). */
  public OptionalLong benchmarkIndex(Architecture a) {
    if (!space.contains(a)) {
      return OptionalLong.empty();
    }
    int index = benchmarkIndex[(int) space.ordinal(a)];
    return index < 0 ? OptionalLong.empty() : OptionalLong.of(index);
  }

  /**
   * The architectures that have a value in {@code column}, in ordinal order: what a surrogate can
   * be trained on when the table labels only a few members of a large space.
   */
  public List<Architecture> labelledMembers(String column) {
    double[] values = column(column);
    List<Architecture> out = new ArrayList<>();
    for (int ordinal = 0; ordinal < values.length; ordinal++) {
      if (benchmarkIndex[ordinal] >= 0 && !Double.isNaN(values[ordinal])) {
        out.add(space.fromOrdinal(ordinal));
      }
    }
    return out;
  }

  public int rows() {
    return rows;
  }

  /** The file or classpath resource the table was read from. */
  public String source() {
    return source;
  }

  private double[] column(String column) {
    double[] values = columns.get(column);
    if (values == null) {
      throw new IllegalArgumentException(
          "Unknown benchmark column '"
              + column
              + "'; "
              + source
              + " has "
              + new ArrayList<>(columnNames));
    }
    return values;
  }

  @Override
  public String toString() {
    return "BenchmarkTable["
        + space.id()
        + ", "
        + rows
        + " rows, "
        + columnNames
        + ", from "
        + source
        + "]";
  }
}
