package io.nassearch.coordinator.algorithm;

/**
 * Ridge regression on the features (closed form, with a seed-dependent jitter of the penalty so
 * that ensemble members differ): a small, exact predictor for tests that need no TensorFlow.
 */
public final class RidgePredictor implements Predictor {
  public int fits;
  public int warmStarts;
  public int open;

  /** The feature width of the last fit. */
  public int lastWidth;

  long rowsScored;

  @Override
  public Model fit(float[] x, float[] y, int rows, int width, long seed, Model warmStart) {
    if (warmStart != null) {
      warmStarts++;
    }
    return fit(x, y, rows, width, seed);
  }

  @Override
  public Model fit(float[] x, float[] y, int rows, int width, long seed) {
    fits++;
    lastWidth = width;
    double lambda = 1.0 + (Math.floorMod(seed, 97) / 97.0);
    int d = width + 1;
    double[][] a = new double[d][d + 1];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < d; i++) {
        double xi = i < width ? x[r * width + i] : 1;
        for (int j = 0; j < d; j++) {
          a[i][j] += xi * (j < width ? x[r * width + j] : 1);
        }
        a[i][d] += xi * y[r];
      }
    }
    for (int i = 0; i < width; i++) {
      a[i][i] += lambda;
    }
    double[] w = solve(a, d);
    open++;
    return new Model() {
      @Override
      public void close() {
        open--;
      }

      @Override
      public float[] score(float[] features, int n) {
        rowsScored += n;
        float[] out = new float[n];
        for (int r = 0; r < n; r++) {
          double s = w[width];
          for (int i = 0; i < width; i++) {
            s += w[i] * features[r * width + i];
          }
          out[r] = (float) s;
        }
        return out;
      }
    };
  }

  /** Gaussian elimination with partial pivoting on an augmented matrix. */
  private static double[] solve(double[][] a, int n) {
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
          p = r;
        }
      }
      double[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      if (Math.abs(a[c][c]) < 1e-12) {
        continue;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = Math.abs(a[i][i]) < 1e-12 ? 0 : a[i][n] / a[i][i];
    }
    return w;
  }
}
