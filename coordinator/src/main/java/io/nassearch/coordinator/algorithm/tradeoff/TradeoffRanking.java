package io.nassearch.coordinator.algorithm.tradeoff;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Orders a candidate pool for evaluation from an acquisition value per candidate (higher is better)
 * and the search's {@link Tradeoff}:
 *
 * <ul>
 *   <li>single objective: by acquisition;
 *   <li>with a cost: interleaves {@value #WEIGHTS} stratified weights w between the acquisition's
 *       and the cheapness's percentile in the pool (a ParEGO-like scalarisation), so that every
 *       batch spends queries across the whole trade-off;
 *   <li>with a descriptor grid (MAP-Elites): per cell by acquisition, cells without an elite first,
 *       then round after round one candidate per cell, so that every batch spreads across niches.
 * </ul>
 *
 * Ties keep pool order, so the order is deterministic given the generator.
 */
public final class TradeoffRanking {
  static final int WEIGHTS = 10;

  private TradeoffRanking() {}

  /**
   * The pool, best first.
   *
   * @param results what has been evaluated so far (for the grid's filled cells)
   * @param rng draws the weights' offset (with a cost only)
   */
  public static List<Architecture> rank(
      List<Architecture> pool,
      double[] acquisition,
      Tradeoff tradeoff,
      Map<Architecture, Double> results,
      RandomGenerator rng) {
    if (tradeoff.grid() != null) {
      return aroundTheGrid(pool, acquisition, tradeoff.grid(), tradeoff.elites(results).keySet());
    }
    if (tradeoff.cost() == null) {
      List<Architecture> out = new ArrayList<>(pool.size());
      for (int i : descending(acquisition)) {
        out.add(pool.get(i));
      }
      return out;
    }
    return interleavedWithCost(pool, acquisition, tradeoff, rng.nextDouble());
  }

  private static List<Architecture> interleavedWithCost(
      List<Architecture> pool, double[] acquisition, Tradeoff tradeoff, double offset) {
    double[] acquisitionRank = percentiles(acquisition);
    double[] cheapness = new double[pool.size()];
    for (int i = 0; i < cheapness.length; i++) {
      cheapness[i] = -tradeoff.cost().applyAsDouble(pool.get(i));
    }
    double[] cheapRank = percentiles(cheapness);
    int[][] orders = new int[WEIGHTS][];
    for (int k = 0; k < WEIGHTS; k++) {
      double w = (k + offset) / WEIGHTS;
      double[] scalar = new double[pool.size()];
      for (int i = 0; i < scalar.length; i++) {
        scalar[i] = w * acquisitionRank[i] + (1 - w) * cheapRank[i];
      }
      orders[k] = descending(scalar);
    }
    boolean[] taken = new boolean[pool.size()];
    int[] next = new int[WEIGHTS];
    List<Architecture> out = new ArrayList<>(pool.size());
    for (int k = 0; out.size() < pool.size(); k = (k + 1) % WEIGHTS) {
      while (taken[orders[k][next[k]]]) {
        next[k]++;
      }
      int i = orders[k][next[k]];
      taken[i] = true;
      out.add(pool.get(i));
    }
    return out;
  }

  private static List<Architecture> aroundTheGrid(
      List<Architecture> pool, double[] acquisition, DescriptorGrid grid, Set<Integer> filled) {
    Map<Integer, List<Integer>> byCell = new LinkedHashMap<>();
    for (int i : descending(acquisition)) {
      int c = grid.cell(pool.get(i));
      if (c >= 0) {
        byCell.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> cells = new ArrayList<>(byCell.keySet()); // already by best candidate, descending
    cells.sort(
        Comparator.comparing((Integer c) -> filled.contains(c))); // stable: empty cells first
    List<Architecture> out = new ArrayList<>(pool.size());
    for (int round = 0; out.size() < pool.size(); round++) {
      boolean any = false;
      for (int c : cells) {
        List<Integer> members = byCell.get(c);
        if (round < members.size()) {
          out.add(pool.get(members.get(round)));
          any = true;
        }
      }
      if (!any) {
        break; // the rest lie outside the grid
      }
    }
    return out;
  }

  /** Indices by value, highest first; ties keep index order. */
  public static int[] descending(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** Each value's rank in [0, 1] (0 = lowest); ties share the rank of their first position. */
  static double[] percentiles(double[] values) {
    int[] order = descending(values);
    double[] out = new double[values.length];
    for (int r = 0; r < order.length; r++) {
      int i = order[r];
      boolean tie = r > 0 && values[order[r - 1]] == values[i];
      out[i] =
          tie ? out[order[r - 1]] : values.length == 1 ? 1 : 1 - (double) r / (values.length - 1);
    }
    return out;
  }
}
