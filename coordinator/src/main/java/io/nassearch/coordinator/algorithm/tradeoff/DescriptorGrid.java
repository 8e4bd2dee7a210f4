package io.nassearch.coordinator.algorithm.tradeoff;

import io.nassearch.coordinator.space.Architecture;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The MAP-Elites grid: each descriptor's range [min, max] cut into {@code bins} equal-width bins;
 * an architecture falls in one cell per combination of bins. Descriptors are known quantities
 * (parameters, FLOPs, latency), not predicted. Immutable.
 *
 * @param names descriptor names, for reports
 * @param descriptors one value per descriptor and architecture; NaN puts it outside the grid
 */
public record DescriptorGrid(
    List<String> names,
    List<ToDoubleFunction<Architecture>> descriptors,
    double[] min,
    double[] max,
    int bins) {
  public DescriptorGrid {
    names = List.copyOf(names);
    descriptors = List.copyOf(descriptors);
    if (descriptors.isEmpty()
        || names.size() != descriptors.size()
        || min.length != descriptors.size()
        || max.length != descriptors.size()) {
      throw new IllegalArgumentException("one name, function, min and max per descriptor");
    }
    if (bins < 1 || bins > 100) {
      throw new IllegalArgumentException("bins must be in 1..100, got " + bins);
    }
  }

  public int cells() {
    int n = 1;
    for (int d = 0; d < descriptors.size(); d++) {
      n *= bins;
    }
    return n;
  }

  /**
   * The flat cell index of {@code a} (first descriptor varies slowest), or -1 outside the ranges.
   */
  public int cell(Architecture a) {
    int index = 0;
    for (int d = 0; d < descriptors.size(); d++) {
      double v = descriptors.get(d).applyAsDouble(a);
      if (Double.isNaN(v) || v < min[d] || v > max[d]) {
        return -1;
      }
      int bin =
          max[d] > min[d]
              ? (int) Math.min(bins - 1, Math.floor((v - min[d]) / (max[d] - min[d]) * bins))
              : 0;
      index = index * bins + bin;
    }
    return index;
  }

  /** The bin of each descriptor for a flat cell index. */
  public int[] bins(int cell) {
    int[] out = new int[descriptors.size()];
    for (int d = descriptors.size() - 1; d >= 0; d--) {
      out[d] = cell % bins;
      cell /= bins;
    }
    return out;
  }

  public double lower(int descriptor, int bin) {
    return min[descriptor] + (max[descriptor] - min[descriptor]) * bin / bins;
  }

  public double upper(int descriptor, int bin) {
    return min[descriptor] + (max[descriptor] - min[descriptor]) * (bin + 1) / bins;
  }

  /**
   * The best architecture per cell among {@code values} (higher is better; the first among ties),
   * by cell index.
   */
  public Map<Integer, Architecture> elites(Map<Architecture, Double> values) {
    Map<Integer, Architecture> elites = new java.util.TreeMap<>();
    values.forEach(
        (a, v) -> {
          int c = cell(a);
          if (c >= 0 && (!elites.containsKey(c) || v > values.get(elites.get(c)))) {
            elites.put(c, a);
          }
        });
    return elites;
  }

  /**
   * QD-score: the sum over filled cells of (elite value - {@code floor}); with the table's elites
   * as the reference it measures how much of the reachable quality-diversity a search found.
   */
  public double qdScore(Map<Architecture, Double> values, double floor) {
    double score = 0;
    for (Architecture a : elites(values).values()) {
      score += Math.max(0, values.get(a) - floor);
    }
    return score;
  }

  /**
   * Ranges from the members of a finite population (e.g. every architecture of a benchmark table).
   */
  public static DescriptorGrid over(
      List<String> names,
      List<ToDoubleFunction<Architecture>> descriptors,
      Iterable<Architecture> population,
      int bins) {
    double[] lo = new double[descriptors.size()];
    double[] hi = new double[descriptors.size()];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (Architecture a : population) {
      for (int d = 0; d < descriptors.size(); d++) {
        double v = descriptors.get(d).applyAsDouble(a);
        if (!Double.isNaN(v)) {
          lo[d] = Math.min(lo[d], v);
          hi[d] = Math.max(hi[d], v);
        }
      }
    }
    for (int d = 0; d < descriptors.size(); d++) {
      if (lo[d] > hi[d]) {
        throw new IllegalArgumentException(
            "descriptor " + names.get(d) + " has no value in the population");
      }
    }
    return new DescriptorGrid(names, descriptors, lo, hi, bins);
  }
}
