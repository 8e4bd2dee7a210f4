package io.nassearch.launcher.bench;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.worker.surrogate.InputShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every member of a space with a table that has a value in one column, in ordinal order, encoded
 * with one encoding, for {@code surrogate-eval}.
 */
final class EvalData {
  final DeclaredSpace space;
  final int rows;
  final InputShape shape;
  final float[] features;
  final double[] targets;
  final double[] report;

  /**
   * @param encoding the encoding to use (null: the space's own)
   * @param reportColumn a column reported for the predicted best, or null
   */
  EvalData(
      String spaceId, Optional<Path> dataDir, String target, String reportColumn, String encoding) {
    SpaceCatalog.Loaded loaded = SpaceCatalog.builtIn(spaceId, DataDirectory.of(dataDir));
    BenchmarkTable table =
        loaded
            .table()
            .orElseThrow(
                () -> new IllegalArgumentException("--space: " + spaceId + " has no table"));
    DeclaredSpace declared = loaded.space();
    this.space = encoding == null ? declared : declared.encodedAs(encoding);
    for (String column : new String[] {target, reportColumn}) {
      if (column != null && !table.columns().contains(column)) {
        throw new IllegalArgumentException(
            "Unknown column '" + column + "'; the table has " + table.columns());
      }
    }
    List<Architecture> labelled = new ArrayList<>();
    for (long i = 0; i < space.size(); i++) {
      Architecture a = space.fromOrdinal(i);
      if (table.value(a, target).isPresent()) {
        labelled.add(a);
      }
    }
    this.rows = labelled.size();
    int width = space.encodingWidth();
    var layout = space.inputLayout();
    this.shape =
        layout.hasGraph()
            ? InputShape.graph(layout.getGraph().getNodes(), layout.getGraph().getNodeFeatures())
            : InputShape.flat(width);
    this.features = new float[Math.multiplyExact(rows, width)];
    this.targets = new double[rows];
    this.report = new double[rows];
    for (int i = 0; i < rows; i++) {
      Architecture a = labelled.get(i);
      space.encode(a, features, i * width);
      targets[i] = table.value(a, target).getAsDouble();
      OptionalDouble r =
          reportColumn == null ? OptionalDouble.empty() : table.value(a, reportColumn);
      report[i] = r.orElse(Double.NaN);
    }
  }

  int width() {
    return shape.width();
  }

  /** A seeded random permutation of the row indices, as {@link Nb201Data#permutation}. */
  int[] permutation(long seed) {
    int[] p = new int[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = i;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    for (int i = rows - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  float[] featuresOf(int[] idx, int from, int to) {
    int width = width();
    float[] f = new float[(to - from) * width];
    for (int i = from; i < to; i++) {
      System.arraycopy(features, idx[i] * width, f, (i - from) * width, width);
    }
    return f;
  }
}
