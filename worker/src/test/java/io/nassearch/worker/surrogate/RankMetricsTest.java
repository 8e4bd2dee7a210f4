package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankMetricsTest {
  @Test
  void kendallTauOnHandComputedExamples() {
    assertTau(1.0, new double[] {1, 2, 3}, new double[] {10, 20, 30});
    assertTau(-1.0, new double[] {1, 2, 3}, new double[] {3, 2, 1});
    assertTau(1.0 / 3, new double[] {1, 2, 3}, new double[] {1, 3, 2});
    // One tie in each: C = 4, D = 0, n0 = 6, n1 = n2 = 1 -> 4 / sqrt(5 * 5).
    assertTau(0.8, new double[] {1, 1, 2, 3}, new double[] {1, 2, 2, 3});
    // Joint tie (rows 0 and 1 tie on both sides): C = 5, D = 0, n1 = n2 = 1 -> 5 / 5.
    assertTau(1.0, new double[] {1, 1, 2, 3}, new double[] {1, 1, 2, 3});
  }

  @Test
  void kendallTauIsNaNForConstantInputOrSingleValue() {
    assertTrue(
        Double.isNaN(RankMetrics.kendallTau(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    assertTrue(Double.isNaN(RankMetrics.kendallTau(new double[] {1}, new double[] {1})));
  }

  @Test
  void kendallTauMatchesNaiveImplementationOnRandomDataWithTies() {
    Random random = new Random(7);
    for (int trial = 0; trial < 30; trial++) {
      int n = 2 + random.nextInt(300);
      int levels = 1 + random.nextInt(20);
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(levels);
        b[i] = random.nextInt(levels) + (trial % 2 == 0 ? 0.5 * a[i] : 0);
      }
      double naive = naiveTauB(a, b);
      double fast = RankMetrics.kendallTau(a, b);
      if (Double.isNaN(naive)) {
        assertTrue(Double.isNaN(fast));
      } else {
        assertEquals(naive, fast, 1e-12, "trial " + trial);
      }
    }
  }

  @Test
  void kendallTauHandlesFullBenchmarkSize() {
    Random random = new Random(3);
    int n = 15_625;
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextGaussian();
      b[i] = a[i] + random.nextGaussian();
    }
    double tau = RankMetrics.kendallTau(a, b);
    // Bivariate normal with correlation 1/sqrt(2): tau = (2 / pi) asin(rho) = 0.5.
    assertEquals(0.5, tau, 0.02);
  }

  @Test
  void spearmanUsesAverageRanksForTies() {
    assertRho(1.0, new double[] {1, 2, 3}, new double[] {5, 6, 9});
    assertRho(-0.5, new double[] {1, 2, 3}, new double[] {2, 3, 1});
    // Ranks [1.5, 1.5, 3, 4] and [1, 2.5, 2.5, 4]: cov 3.75, variances 4.5.
    assertRho(3.75 / 4.5, new double[] {1, 1, 2, 3}, new double[] {1, 2, 2, 3});
  }

  @Test
  void spearmanMatchesNaiveImplementation() {
    Random random = new Random(11);
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(15);
      b[i] = random.nextInt(15) + a[i];
    }
    assertEquals(naivePearson(naiveRanks(a), naiveRanks(b)), RankMetrics.spearmanRho(a, b), 1e-12);
  }

  @Test
  void precisionAtTopFraction() {
    double[] predicted = {0.9, 0.1, 0.8, 0.2};
    double[] truth = {1, 2, 3, 4};
    // True top 2 = {3, 2}; predicted top 2 = {0, 2}.
    assertEquals(0.5, RankMetrics.precisionAtTopFraction(predicted, truth, 0.5), 1e-12);
    assertEquals(1.0, RankMetrics.precisionAtTopFraction(predicted, truth, 1.0), 1e-12);
    // k rounds to at least one: true best = 3, predicted best = 0.
    assertEquals(0.0, RankMetrics.precisionAtTopFraction(predicted, truth, 0.01), 1e-12);
    assertEquals(1.0, RankMetrics.precisionAtTopFraction(truth, truth, 0.25), 1e-12);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class, () -> RankMetrics.kendallTau(new double[2], new double[3]));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankMetrics.kendallTau(new double[] {1, Double.NaN}, new double[] {1, 2}));
    assertThrows(
        IllegalArgumentException.class, () -> RankMetrics.spearmanRho(null, new double[1]));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankMetrics.precisionAtTopFraction(new double[] {1}, new double[] {1}, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankMetrics.precisionAtTopFraction(new double[] {1}, new double[] {1}, 1.5));
  }

  private static void assertTau(double expected, double[] a, double[] b) {
    assertEquals(expected, RankMetrics.kendallTau(a, b), 1e-12);
  }

  private static void assertRho(double expected, double[] a, double[] b) {
    assertEquals(expected, RankMetrics.spearmanRho(a, b), 1e-12);
  }

  private static double naiveTauB(double[] a, double[] b) {
    long concordant = 0;
    long discordant = 0;
    long tiedAOnly = 0;
    long tiedBOnly = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        double da = Math.signum(a[i] - a[j]);
        double db = Math.signum(b[i] - b[j]);
        if (da == 0 && db == 0) {
          continue;
        } else if (da == 0) {
          tiedAOnly++;
        } else if (db == 0) {
          tiedBOnly++;
        } else if (da == db) {
          concordant++;
        } else {
          discordant++;
        }
      }
    }
    double denominator =
        Math.sqrt(
            (double) (concordant + discordant + tiedAOnly) * (concordant + discordant + tiedBOnly));
    return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
  }

  private static double[] naiveRanks(double[] values) {
    double[] ranks = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      int less = 0;
      int equal = 0;
      for (double v : values) {
        if (v < values[i]) {
          less++;
        } else if (v == values[i]) {
          equal++;
        }
      }
      ranks[i] = less + (equal + 1) / 2.0;
    }
    return ranks;
  }

  private static double naivePearson(double[] x, double[] y) {
    double mx = java.util.Arrays.stream(x).average().orElseThrow();
    double my = java.util.Arrays.stream(y).average().orElseThrow();
    double cov = 0;
    double vx = 0;
    double vy = 0;
    for (int i = 0; i < x.length; i++) {
      cov += (x[i] - mx) * (y[i] - my);
      vx += (x[i] - mx) * (x[i] - mx);
      vy += (y[i] - my) * (y[i] - my);
    }
    return cov / Math.sqrt(vx * vy);
  }
}
