package io.nassearch.coordinator.evaluation;

import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Runs a {@link Designer} against a benchmark table instead of real trainings: every ground-truth
 * query is a table look-up of the objective column. This is how search algorithms are compared: the
 * number of distinct architectures evaluated is the cost, and the objective (validation accuracy)
 * drives every decision. Each round asks for {@link Designer#batchSize} suggestions (one for the
 * sequential algorithms of the papers, a round for predictor-driven ones) and reports them back in
 * order.
 */
public final class OfflineSearch {
  /** Rounds in a row that bring nothing new after which a run gives up. */
  private static final int MAX_IDLE_ROUNDS = 10_000;

  private OfflineSearch() {}

  /**
   * Evaluates the designer's suggestions until {@code horizon} distinct architectures were queried,
   * or until {@code target} was (no later query could change the best). A suggestion evaluated
   * before is answered from the cache and not counted; an infeasible one is reported as {@code
   * -Infinity} and not counted either. Closes the designer.
   *
   * @param target the feasible optimum, or null to run to the horizon
   * @throws IllegalStateException when the designer keeps suggesting only architectures it already
   *     has
   */
  public static QueryTrace run(
      BenchmarkTable table,
      String objective,
      Designer designer,
      int horizon,
      Architecture target,
      Predicate<Architecture> feasible)
      throws InterruptedException, ExecutionException {
    try (designer) {
      QueryTrace.Builder trace = new QueryTrace.Builder();
      Map<Architecture, Double> cache = new HashMap<>();
      int idle = 0;
      while (trace.size() < horizon) {
        boolean progressed = false;
        List<Scored> completed = new ArrayList<>();
        for (Architecture a : designer.suggest(designer.batchSize(), Set.of())) {
          Double known = cache.get(a);
          if (known == null && !feasible.test(a)) {
            known = Double.NEGATIVE_INFINITY;
            cache.put(a, known);
          } else if (known == null) {
            if (trace.size() >= horizon) {
              break;
            }
            known =
                table.value(a, objective).orElse(Double.NEGATIVE_INFINITY); // no value: infeasible
            cache.put(a, known);
            trace.add(a, known);
            progressed = true;
          }
          completed.add(new Scored(a, known));
          if (a.equals(target)) {
            return trace.build(true);
          }
        }
        designer.update(completed);
        idle = progressed ? 0 : idle + 1;
        if (idle > MAX_IDLE_ROUNDS) {
          throw new IllegalStateException(
              "the algorithm suggested nothing new in " + MAX_IDLE_ROUNDS + " rounds");
        }
      }
      return trace.build(false);
    }
  }
}
