package io.nassearch.coordinator.algorithm.stopping;

import io.nassearch.api.v1.EarlyStopping;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.space.Architecture;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Decides whether a trial that reported a measurement should stop. Rules keep no state of their
 * own: they read every trial's curve (step to value), so a restarted search decides as before.
 */
public interface StoppingRule {
  /** The learning curves of a search's trials, finished or running. */
  interface Curves {
    /** Curves by architecture; a trial without measurements may be absent. */
    Map<Architecture, NavigableMap<Long, Double>> all();

    /** Completed or stopped. */
    boolean isFinished(Architecture a);
  }

  /**
   * Why {@code trial}, whose latest measurement is at {@code step}, should stop; empty when it
   * should go on.
   */
  Optional<String> shouldStop(Architecture trial, long step, Curves curves);

  /** The rule an (already validated, defaults filled) spec asks for. */
  static StoppingRule of(EarlyStopping spec, Designer designer) {
    return switch (spec.getRule()) {
      case RULE_SUCCESSIVE_HALVING ->
          new SuccessiveHalving(spec.getMinStep(), spec.getReductionFactor());
      case RULE_SURROGATE ->
          new SurrogateRule(spec.getMinStep(), spec.getQuantile(), spec.getTopFraction(), designer);
      default -> (trial, step, curves) -> Optional.empty();
    };
  }
}
