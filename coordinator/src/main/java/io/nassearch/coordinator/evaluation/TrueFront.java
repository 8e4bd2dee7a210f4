package io.nassearch.coordinator.evaluation;

import io.nassearch.coordinator.algorithm.tradeoff.ParetoFront;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The best possible trade-off in a table: the Pareto front of (objective up, cost down) over every
 * feasible architecture, and the reference point that hypervolumes are measured from: the median
 * objective and the largest cost of the feasible architectures (so the hypervolume measures the
 * better-than-typical part of the trade-off rather than the area any search covers at once).
 */
public record TrueFront(
    List<ParetoFront.Point<Architecture>> front,
    double valueRef,
    double costRef,
    double hypervolume) {
  public static TrueFront of(
      BenchmarkTable table,
      EnumerableSearchSpace space,
      String objective,
      String cost,
      Predicate<Architecture> feasible) {
    List<ParetoFront.Point<Architecture>> all = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    double costRef = Double.NEGATIVE_INFINITY;
    for (Architecture a : TableConstraints.feasibleMembers(space, feasible)) {
      double v = table.value(a, objective).orElse(Double.NaN);
      double c = table.value(a, cost).orElse(Double.NaN);
      if (Double.isNaN(v) || Double.isNaN(c)) {
        continue;
      }
      all.add(new ParetoFront.Point<>(a, v, c));
      values.add(v);
      costRef = Math.max(costRef, c);
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(
          "No feasible architecture has both " + objective + " and " + cost);
    }
    values.sort(null);
    double valueRef = values.get(values.size() / 2);
    return new TrueFront(
        ParetoFront.of(all), valueRef, costRef, ParetoFront.hypervolume(all, valueRef, costRef));
  }

  /** Hypervolume of {@code points} from this reference point, as a fraction of the true front's. */
  public double ratio(List<ParetoFront.Point<Architecture>> points) {
    return ParetoFront.hypervolume(points, valueRef, costRef) / hypervolume;
  }
}
