package io.nassearch.coordinator.algorithm.tradeoff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Two-objective Pareto fronts: a value to maximise (accuracy) against a cost to minimise (latency,
 * parameters).
 */
public final class ParetoFront {
  private ParetoFront() {}

  /** A point of the trade-off: {@code value} higher is better, {@code cost} lower is better. */
  public record Point<T>(T item, double value, double cost) {}

  /**
   * The non-dominated points, sorted by cost (and so by value) ascending. A point is dominated when
   * another is at least as good in both and better in one; of exact duplicates the first is kept.
   */
  public static <T> List<Point<T>> of(List<Point<T>> points) {
    List<Point<T>> sorted = new ArrayList<>(points);
    sorted.sort(
        Comparator.<Point<T>>comparingDouble(Point::cost)
            .thenComparing(Comparator.comparingDouble((Point<T> p) -> p.value()).reversed()));
    List<Point<T>> front = new ArrayList<>();
    double bestValue = Double.NEGATIVE_INFINITY;
    for (Point<T> p : sorted) {
      if (p.value() > bestValue) {
        front.add(p);
        bestValue = p.value();
      }
    }
    return front;
  }

  /**
   * Area dominated by the front and bounded by the reference point ({@code valueRef} below every
   * value, {@code costRef} above every cost that counts); points outside the reference box add
   * nothing.
   */
  public static <T> double hypervolume(List<Point<T>> points, double valueRef, double costRef) {
    List<Point<T>> front = of(points);
    double area = 0;
    for (int i = 0; i < front.size(); i++) {
      Point<T> p = front.get(i);
      if (p.cost() >= costRef || p.value() <= valueRef) {
        continue;
      }
      double nextCost = i + 1 < front.size() ? Math.min(front.get(i + 1).cost(), costRef) : costRef;
      area += (p.value() - valueRef) * (nextCost - p.cost());
    }
    return area;
  }

  /** Whether no point of {@code front} dominates another. */
  public static <T> boolean isNonDominated(List<Point<T>> front) {
    for (Point<T> a : front) {
      for (Point<T> b : front) {
        if (a != b
            && a.value() >= b.value()
            && a.cost() <= b.cost()
            && (a.value() > b.value() || a.cost() < b.cost())) {
          return false;
        }
      }
    }
    return true;
  }
}
