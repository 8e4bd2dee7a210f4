package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Drives an algorithm the way the coordinator's search loop does: ask for a batch, score the
 * distinct new architectures up to the budget, report every proposal that has a score (cached ones
 * included) in proposal order. Records all proposals for reproducibility checks.
 */
final class SearchDriver {
  final Designer algorithm;
  final ToDoubleFunction<Architecture> objective;
  final Map<Architecture, Double> scores = new HashMap<>();
  final List<Architecture> order = new ArrayList<>();
  final List<List<Architecture>> proposals = new ArrayList<>();
  double best = Double.NEGATIVE_INFINITY;

  SearchDriver(Designer algorithm, ToDoubleFunction<Architecture> objective) {
    this.algorithm = algorithm;
    this.objective = objective;
  }

  /** Every result so far, in the order it was scored. */
  List<Scored> completed() {
    return order.stream().map(a -> new Scored(a, scores.get(a))).toList();
  }

  /** One round; returns the proposals. */
  List<Architecture> round(int batch, long budget) throws Exception {
    List<Architecture> proposed = algorithm.suggest(batch, Set.of());
    proposals.add(proposed);
    long remaining = budget - order.size();
    Set<Architecture> fresh = new LinkedHashSet<>();
    for (Architecture a : proposed) {
      if (!scores.containsKey(a) && fresh.size() < remaining) {
        fresh.add(a);
      }
    }
    for (Architecture a : fresh) {
      double s = objective.applyAsDouble(a);
      scores.put(a, s);
      order.add(a);
      best = Math.max(best, s);
    }
    List<Scored> observed = new ArrayList<>();
    for (Architecture a : proposed) {
      Double s = scores.get(a);
      if (s != null) {
        observed.add(new Scored(a, s));
      }
    }
    algorithm.update(observed);
    return proposed;
  }

  /**
   * Rounds until {@code budget} distinct architectures are scored (or 20 rounds bring nothing new).
   */
  SearchDriver run(int batch, long budget) throws Exception {
    int idle = 0;
    while (order.size() < budget && idle < 20) {
      int before = order.size();
      round((int) Math.min(batch, budget - order.size()), budget);
      idle = order.size() == before ? idle + 1 : 0;
    }
    return this;
  }
}
