package io.nassearch.coordinator.benchmark;

import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SearchAlgorithm;
import io.nassearch.coordinator.algorithm.guided.Predictor;
import io.nassearch.coordinator.algorithm.guided.PredictorGuidedSearch;
import io.nassearch.coordinator.space.Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Runs a search against a benchmark table instead of real trainings: every ground-truth query is a table
 * look-up of the objective column. This is how search algorithms are compared: the number of distinct
 * architectures evaluated is the cost, and validation accuracy drives every decision.
 */
public final class OfflineSearch {
  private OfflineSearch() {}

  /** Anything that proposes architectures to evaluate and learns from their true objective; closed after a run. */
  public interface Strategy extends AutoCloseable {
    /** The next architectures to evaluate (at least one). */
    List<Architecture> next() throws InterruptedException, ExecutionException;

    void observe(Architecture a, double objective);

    @Override
    default void close() {}
  }

  /**
   * A surrogate-scoring algorithm driven by true values instead: one proposal at a time, as in the papers'
   * sequential settings (regularized evolution, random search, local search).
   */
  public static Strategy sequential(SearchAlgorithm algorithm) {
    return new Strategy() {
      @Override
      public List<Architecture> next() {
        return algorithm.propose(1);
      }

      @Override
      public void observe(Architecture a, double objective) {
        algorithm.observe(List.of(new Scored(a, objective)));
      }
    };
  }

  /** Predictor-guided search: each round retrains the surrogate ensemble and suggests a batch. */
  public static Strategy guided(PredictorGuidedSearch search, Predictor predictor) {
    return new Strategy() {
      @Override
      public List<Architecture> next() throws InterruptedException, ExecutionException {
        return search.suggest(search.config().queriesPerRound(), Set.of(), predictor);
      }

      @Override
      public void observe(Architecture a, double objective) {
        search.tell(a, objective);
      }

      @Override
      public void close() {
        search.close();
      }
    };
  }

  /**
   * Evaluates the strategy's proposals until {@code horizon} distinct architectures were queried, or
   * until {@code target} was (it is the objective's optimum, so nothing later could change the best).
   * A proposal evaluated before is answered from the cache and not counted.
   *
   * @throws IllegalStateException when the strategy keeps proposing only architectures it already has
   */
  public static QueryTrace run(
      BenchmarkTable table, String objective, Strategy strategy, int horizon, Architecture target)
      throws InterruptedException, ExecutionException {
    return run(table, objective, strategy, horizon, target, a -> true);
  }

  /**
   * As above under hard constraints: an infeasible proposal is not evaluated or counted, and the strategy
   * observes it as the worst possible value. {@code target} may be null (no early stop).
   */
  public static QueryTrace run(
      BenchmarkTable table, String objective, Strategy strategy, int horizon, Architecture target,
      java.util.function.Predicate<Architecture> feasible)
      throws InterruptedException, ExecutionException {
    try (strategy) {
      return evaluate(table, objective, strategy, horizon, target, feasible);
    }
  }

  private static QueryTrace evaluate(
      BenchmarkTable table, String objective, Strategy strategy, int horizon, Architecture target,
      java.util.function.Predicate<Architecture> feasible)
      throws InterruptedException, ExecutionException {
    QueryTrace.Builder trace = new QueryTrace.Builder();
    Map<Architecture, Double> cache = new HashMap<>();
    int idle = 0;
    while (trace.size() < horizon) {
      boolean progressed = false;
      for (Architecture a : strategy.next()) {
        Double known = cache.get(a);
        if (known == null && !feasible.test(a)) {
          known = Double.NEGATIVE_INFINITY;
          cache.put(a, known);
        } else if (known == null) {
          if (trace.size() >= horizon) {
            break;
          }
          known = table.value(a, objective).orElseThrow(() -> new IllegalStateException("no " + objective + " for " + a));
          cache.put(a, known);
          trace.add(a, known);
          progressed = true;
        }
        strategy.observe(a, known);
        if (a.equals(target)) {
          return trace.build(true);
        }
      }
      idle = progressed ? 0 : idle + 1;
      if (idle > 10_000) {
        throw new IllegalStateException("the strategy proposed nothing new in 10,000 steps");
      }
    }
    return trace.build(false);
  }
}
