package io.nassearch.launcher.bench;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * The whole NB201 space encoded once, with one table column as targets, for the surrogate
 * harnesses.
 */
final class Nb201Data {
  final DeclaredSpace space;
  final BenchmarkTable table;
  final String column;
  final int rows;
  final int width;
  final float[] features;
  final double[] targets;

  Nb201Data(Optional<Path> dataDir, String column) {
    SpaceCatalog.Loaded nb201 = SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.of(dataDir));
    this.space = nb201.space();
    this.table = nb201.table().orElseThrow();
    if (!table.columns().contains(column)) {
      throw new IllegalArgumentException(
          "Unknown column '" + column + "'; the table has " + table.columns());
    }
    this.column = column;
    this.rows = (int) space.size();
    this.width = space.encodingWidth();
    this.features = new float[rows * width];
    this.targets = new double[rows];
    for (int i = 0; i < rows; i++) {
      Architecture a = space.fromOrdinal(i);
      space.encode(a, features, i * width);
      OptionalDouble v = table.value(a, column);
      targets[i] =
          v.orElseThrow(
              () -> new IllegalStateException("No " + column + " for " + space.format(a)));
    }
  }

  /** A seeded random permutation of the row indices (Fisher-Yates). */
  int[] permutation(long seed) {
    int[] p = new int[rows];
    for (int i = 0; i < rows; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = rows - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  float[] featuresOf(int[] idx, int from, int to) {
    float[] f = new float[(to - from) * width];
    for (int i = from; i < to; i++) {
      System.arraycopy(features, idx[i] * width, f, (i - from) * width, width);
    }
    return f;
  }
}
