package io.nassearch.worker.surrogate;

import java.util.Arrays;
import java.util.Comparator;

/** Rank agreement between predicted and true values. Inputs must be finite and of equal length. */
public final class RankMetrics {
  private RankMetrics() {}

  /**
   * Kendall tau-b in O(n log n) (Knight's algorithm). NaN when n < 2 or either side is constant.
   */
  public static double kendallTau(double[] a, double[] b) {
    requirePaired(a, b);
    int n = a.length;
    if (n < 2) {
      return Double.NaN;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = i;
    }
    Arrays.sort(
        boxed, Comparator.<Integer>comparingDouble(i -> a[i]).thenComparingDouble(i -> b[i]));
    double[] bInAOrder = new double[n];
    long tiedA = 0;
    long tiedBoth = 0;
    long runA = 1;
    long runBoth = 1;
    bInAOrder[0] = b[boxed[0]];
    for (int k = 1; k < n; k++) {
      int prev = boxed[k - 1];
      int cur = boxed[k];
      bInAOrder[k] = b[cur];
      boolean sameA = a[cur] == a[prev];
      if (sameA && b[cur] == b[prev]) {
        runBoth++;
      } else {
        tiedBoth += runBoth * (runBoth - 1) / 2;
        runBoth = 1;
      }
      if (sameA) {
        runA++;
      } else {
        tiedA += runA * (runA - 1) / 2;
        runA = 1;
      }
    }
    tiedA += runA * (runA - 1) / 2;
    tiedBoth += runBoth * (runBoth - 1) / 2;
    long swaps = countInversions(bInAOrder);
    long tiedB = 0;
    long runB = 1;
    for (int k = 1; k < n; k++) {
      if (bInAOrder[k] == bInAOrder[k - 1]) {
        runB++;
      } else {
        tiedB += runB * (runB - 1) / 2;
        runB = 1;
      }
    }
    tiedB += runB * (runB - 1) / 2;
    long pairs = (long) n * (n - 1) / 2;
    double denominator = Math.sqrt((double) (pairs - tiedA) * (double) (pairs - tiedB));
    if (denominator == 0) {
      return Double.NaN;
    }
    double concordantMinusDiscordant = (double) (pairs - tiedA - tiedB + tiedBoth) - 2.0 * swaps;
    return concordantMinusDiscordant / denominator;
  }

  /**
   * Spearman rho: Pearson correlation of ranks, tied values sharing their average rank. NaN if
   * either is constant.
   */
  public static double spearmanRho(double[] a, double[] b) {
    requirePaired(a, b);
    if (a.length < 2) {
      return Double.NaN;
    }
    double[] ra = averageRanks(a);
    double[] rb = averageRanks(b);
    double meanRank = (a.length + 1) / 2.0;
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < a.length; i++) {
      double da = ra[i] - meanRank;
      double db = rb[i] - meanRank;
      cov += da * db;
      varA += da * da;
      varB += db * db;
    }
    if (varA == 0 || varB == 0) {
      return Double.NaN;
    }
    return cov / Math.sqrt(varA * varB);
  }

  /**
   * Share of the true top {@code round(fraction * n)} (at least 1) that is also in the predicted
   * top of that size. Ties at the cut-off go to the lower index.
   *
   * @param fraction in (0, 1]
   */
  public static double precisionAtTopFraction(double[] predicted, double[] truth, double fraction) {
    requirePaired(predicted, truth);
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    int n = predicted.length;
    if (n == 0) {
      throw new IllegalArgumentException("precision needs at least one value");
    }
    int k = (int) Math.max(1, Math.min(n, Math.round(fraction * n)));
    boolean[] inTrueTop = new boolean[n];
    for (int i : topIndices(truth, k)) {
      inTrueTop[i] = true;
    }
    int hits = 0;
    for (int i : topIndices(predicted, k)) {
      if (inTrueTop[i]) {
        hits++;
      }
    }
    return (double) hits / k;
  }

  private static int[] topIndices(double[] values, int k) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i));
    int[] top = new int[k];
    for (int i = 0; i < k; i++) {
      top[i] = order[i];
    }
    return top;
  }

  private static double[] averageRanks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && values[order[end]] == values[order[start]]) {
        end++;
      }
      double rank = (start + 1 + end) / 2.0;
      for (int k = start; k < end; k++) {
        ranks[order[k]] = rank;
      }
      start = end;
    }
    return ranks;
  }

  /** Number of pairs i < j with values[i] > values[j], by merge sort; sorts {@code values}. */
  private static long countInversions(double[] values) {
    double[] buffer = new double[values.length];
    long inversions = 0;
    for (int width = 1; width < values.length; width *= 2) {
      for (int lo = 0; lo < values.length - width; lo += 2 * width) {
        int mid = lo + width;
        int hi = Math.min(lo + 2 * width, values.length);
        int i = lo;
        int j = mid;
        int out = lo;
        while (i < mid && j < hi) {
          if (values[j] < values[i]) {
            inversions += mid - i;
            buffer[out++] = values[j++];
          } else {
            buffer[out++] = values[i++];
          }
        }
        while (i < mid) {
          buffer[out++] = values[i++];
        }
        while (j < hi) {
          buffer[out++] = values[j++];
        }
        System.arraycopy(buffer, lo, values, lo, hi - lo);
      }
    }
    return inversions;
  }

  private static void requirePaired(double[] a, double[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("inputs must not be null");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "inputs differ in length: " + a.length + " vs " + b.length);
    }
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
        throw new IllegalArgumentException(
            "non-finite value at index " + i + ": " + a[i] + ", " + b[i]);
      }
    }
  }
}
