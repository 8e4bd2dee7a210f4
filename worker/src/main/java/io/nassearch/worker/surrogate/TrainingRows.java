package io.nassearch.worker.surrogate;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A training run's data: the feature scaling fitted to all rows, the seeded split into training and
 * validation rows, the targets the loss sees, and the minibatches of each epoch.
 */
final class TrainingRows {
  private static final int MIN_VALIDATION_ROWS = 5;
  private static final float MIN_FEATURE_STD = 1e-6f;

  private final float[] features;
  final int width;
  private final float[] targets;
  private final float[] lossTargets;
  final float[] featureOffset;
  final float[] featureScale;
  final int[] trainRows;
  final int[] validationRows;

  /** Draws the split from {@code random} (the first draw of a run). */
  TrainingRows(
      SurrogateConfig config,
      float[] features,
      int rows,
      int width,
      float[] targets,
      SplittableRandom random) {
    this.features = features;
    this.width = width;
    this.targets = targets;
    this.featureOffset = new float[width];
    this.featureScale = new float[width];
    if (config.family().scalesFeatures()) {
      fitFeatureScaling(features, rows, width, featureOffset, featureScale);
    } else {
      Arrays.fill(featureScale, 1f);
    }
    int[] order = permutation(rows, random);
    int validationCount = (int) Math.floor(config.validationFraction() * rows);
    if (validationCount < MIN_VALIDATION_ROWS || rows - validationCount < 2) {
      validationCount = 0;
    }
    this.validationRows = Arrays.copyOfRange(order, 0, validationCount);
    this.trainRows = Arrays.copyOfRange(order, validationCount, rows);
    this.lossTargets =
        config.loss() == LossKind.MSE ? standardizedTargets(targets, trainRows) : targets;
  }

  /** One epoch's minibatches of training rows, shuffled with {@code random}. */
  int[][] epochBatches(int batchSize, SplittableRandom random) {
    int[] order = trainRows.clone();
    shuffle(order, random);
    int batches = Math.max(1, (order.length + batchSize - 1) / batchSize);
    int[][] result = new int[batches][];
    for (int b = 0; b < batches; b++) {
      int from = (int) ((long) order.length * b / batches);
      int to = (int) ((long) order.length * (b + 1) / batches);
      result[b] = Arrays.copyOfRange(order, from, to);
    }
    return result;
  }

  /** The given rows' features as a {@code [rows, width]} tensor; the caller closes it. */
  TFloat32 features(int[] rowIndices) {
    float[] batch = new float[rowIndices.length * width];
    for (int i = 0; i < rowIndices.length; i++) {
      System.arraycopy(features, rowIndices[i] * width, batch, i * width, width);
    }
    return TFloat32.tensorOf(
        Shape.of(rowIndices.length, width), DataBuffers.of(batch, true, false));
  }

  /** The targets the loss is computed on (standardized for MSE); the caller closes it. */
  TFloat32 lossTargets(int[] rowIndices) {
    float[] y = new float[rowIndices.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = lossTargets[rowIndices[i]];
    }
    return TFloat32.tensorOf(Shape.of(y.length), DataBuffers.of(y, true, false));
  }

  /** The validation rows' raw targets. */
  double[] validationTruth() {
    double[] truth = new double[validationRows.length];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = targets[validationRows[i]];
    }
    return truth;
  }

  private static void fitFeatureScaling(
      float[] features, int rows, int width, float[] offset, float[] scale) {
    for (int c = 0; c < width; c++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += features[r * width + c];
      }
      double mean = sum / rows;
      double squares = 0;
      for (int r = 0; r < rows; r++) {
        double d = features[r * width + c] - mean;
        squares += d * d;
      }
      double std = Math.sqrt(squares / rows);
      offset[c] = (float) mean;
      scale[c] = std < MIN_FEATURE_STD ? 1f : (float) (1.0 / std);
    }
  }

  private static float[] standardizedTargets(float[] targets, int[] trainRows) {
    double sum = 0;
    for (int r : trainRows) {
      sum += targets[r];
    }
    double mean = sum / trainRows.length;
    double squares = 0;
    for (int r : trainRows) {
      squares += (targets[r] - mean) * (targets[r] - mean);
    }
    double std = Math.sqrt(squares / trainRows.length);
    double inverse = std < 1e-12 ? 1.0 : 1.0 / std;
    float[] standardized = new float[targets.length];
    for (int i = 0; i < targets.length; i++) {
      standardized[i] = (float) ((targets[i] - mean) * inverse);
    }
    return standardized;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, random);
    return order;
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }
}
