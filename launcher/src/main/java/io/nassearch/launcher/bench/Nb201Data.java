package io.nassearch.launcher.bench;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
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

  /**
   * The model the scoring benches measure: the default surrogate trained on the first {@code
   * trainingSize} rows of permutation 42, with seed 42.
   */
  SurrogateTrainer.TrainingOutcome trainBenchModel(int trainingSize, SurrogateRuntime runtime) {
    int[] perm = permutation(42);
    float[] y = new float[trainingSize];
    for (int i = 0; i < trainingSize; i++) {
      y[i] = (float) targets[perm[i]];
    }
    return SurrogateTrainer.train(
        SurrogateConfig.defaults(),
        featuresOf(perm, 0, trainingSize),
        trainingSize,
        width,
        y,
        42,
        runtime,
        null);
  }

  /** {@code batch} rows of float features, cycling through the space in ordinal order. */
  float[] floatBatch(int batch) {
    float[] x = new float[batch * width];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(features, (i % rows) * width, x, i * width, width);
    }
    return x;
  }

  /** The same rows as {@link #floatBatch}, as coded rows. */
  byte[] codedBatch(CodedLayout layout, int batch) {
    byte[] codes = new byte[batch * layout.fields()];
    for (int i = 0; i < batch; i++) {
      space.encodeCoded(space.fromOrdinal(i % rows), codes, i * layout.fields());
    }
    return codes;
  }
}
