package io.nassearch.coordinator.algorithm.tradeoff;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * What a search trades accuracy against, and what every evaluated architecture must satisfy. All of
 * it is known exactly (benchmark-table costs, parameters, latency), not predicted, and is not part
 * of any snapshot: a restored search is given the same again.
 *
 * @param cost value to minimise alongside the objective, or null for a single-objective search
 * @param feasible hard constraints; infeasible architectures are never evaluated
 * @param grid the MAP-Elites grid of a quality-diversity search, or null
 */
public record Tradeoff(
    ToDoubleFunction<Architecture> cost, Predicate<Architecture> feasible, DescriptorGrid grid) {
  public static final Tradeoff NONE = new Tradeoff(null, a -> true, null);

  public Tradeoff {
    feasible = feasible == null ? a -> true : feasible;
    if (cost != null && grid != null) {
      throw new IllegalArgumentException(
          "a search has either a cost (Pareto front) or a descriptor grid (MAP-Elites), not both");
    }
  }

  /** The non-dominated results by (objective, cost), cheapest first; needs a cost. */
  public List<ParetoFront.Point<Architecture>> front(Map<Architecture, Double> results) {
    if (cost == null) {
      throw new IllegalStateException("a single-objective search has no front");
    }
    return ParetoFront.of(points(results));
  }

  /** Every feasible result as a point of (objective, cost); needs a cost. */
  public List<ParetoFront.Point<Architecture>> points(Map<Architecture, Double> results) {
    List<ParetoFront.Point<Architecture>> points = new ArrayList<>();
    results.forEach(
        (a, v) -> {
          if (feasible.test(a)) {
            points.add(new ParetoFront.Point<>(a, v, cost.applyAsDouble(a)));
          }
        });
    return points;
  }

  /** The best feasible result of each filled cell, by cell index; needs a grid. */
  public Map<Integer, Architecture> elites(Map<Architecture, Double> results) {
    if (grid == null) {
      throw new IllegalStateException("a search without a descriptor grid has no archive");
    }
    Map<Architecture, Double> feasibleResults = new java.util.LinkedHashMap<>();
    results.forEach(
        (a, v) -> {
          if (feasible.test(a)) {
            feasibleResults.put(a, v);
          }
        });
    return grid.elites(feasibleResults);
  }
}
