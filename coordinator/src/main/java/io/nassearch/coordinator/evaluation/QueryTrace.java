package io.nassearch.coordinator.evaluation;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The distinct architectures one search run evaluated against the ground truth, in order, with the
 * objective value each got. Query {@code t} (1-based) is {@code architectures().get(t - 1)}.
 *
 * @param reachedTarget whether the run stopped early because it evaluated the target architecture;
 *     later queries could not improve the best-so-far, so {@link #bestAfter} stays exact for every
 *     t
 */
public record QueryTrace(
    List<Architecture> architectures, double[] objective, boolean reachedTarget) {
  public QueryTrace {
    architectures = List.copyOf(architectures);
    if (objective.length != architectures.size()) {
      throw new IllegalArgumentException("one objective value per architecture");
    }
  }

  public int queries() {
    return architectures.size();
  }

  /**
   * The architecture with the best objective among the first {@code t} queries (the first one among
   * ties), or all of them when the run made fewer; empty for {@code t < 1} or an empty trace.
   */
  public Optional<Architecture> bestAfter(int t) {
    int n = Math.min(t, objective.length);
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (best < 0 || objective[i] > objective[best]) {
        best = i;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(architectures.get(best));
  }

  /**
   * 1-based query at which the objective first reached {@code threshold}, or empty when it never
   * did.
   */
  public Optional<Integer> firstReaching(double threshold) {
    for (int i = 0; i < objective.length; i++) {
      if (objective[i] >= threshold) {
        return Optional.of(i + 1);
      }
    }
    return Optional.empty();
  }

  /** 1-based query at which {@code a} was evaluated, or empty. */
  public Optional<Integer> queryOf(Architecture a) {
    int i = architectures.indexOf(a);
    return i < 0 ? Optional.empty() : Optional.of(i + 1);
  }

  /** Builds a trace query by query. */
  public static final class Builder {
    private final List<Architecture> architectures = new ArrayList<>();
    private final List<Double> objective = new ArrayList<>();

    public void add(Architecture a, double value) {
      architectures.add(a);
      objective.add(value);
    }

    public int size() {
      return architectures.size();
    }

    public QueryTrace build(boolean reachedTarget) {
      double[] v = new double[objective.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = objective.get(i);
      }
      return new QueryTrace(architectures, v, reachedTarget);
    }
  }
}
