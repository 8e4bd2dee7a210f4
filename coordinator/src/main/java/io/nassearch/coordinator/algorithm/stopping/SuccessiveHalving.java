package io.nassearch.coordinator.algorithm.stopping;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as a stopping rule: rungs sit at steps
 * {@code minStep * factor^k}. The first time a trial reports at or past a rung, its value there
 * (its first measurement at or past the rung's step) is compared with the rung values of every
 * trial that reached the rung, itself included: it goes on only if it is among the best {@code
 * floor(n / factor)} of them, or the best so far while fewer than {@code factor} reached it.
 */
final class SuccessiveHalving implements StoppingRule {
  private final long minStep;
  private final double factor;

  SuccessiveHalving(long minStep, double factor) {
    this.minStep = minStep;
    this.factor = factor;
  }

  @Override
  public Optional<String> shouldStop(Architecture trial, long step, Curves curves) {
    NavigableMap<Long, Double> curve = curves.all().get(trial);
    long rung = rungAtOrBelow(step);
    if (curve == null || rung < 0 || curve.ceilingKey(rung) != step) {
      return Optional.empty(); // below the first rung, or this rung was decided before
    }
    double value = curve.get(step);
    List<Double> rungValues = new ArrayList<>();
    for (NavigableMap<Long, Double> c : curves.all().values()) {
      Long at = c.ceilingKey(rung);
      if (at != null) {
        rungValues.add(c.get(at));
      }
    }
    rungValues.sort(Comparator.reverseOrder());
    int promoted = Math.max(1, (int) Math.floor(rungValues.size() / factor));
    double threshold = rungValues.get(promoted - 1);
    if (value >= threshold) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "successive halving: %.4f at rung %d is not in the top %d of %d (needs %.4f)",
            value,
            rung,
            promoted,
            rungValues.size(),
            threshold));
  }

  /** The largest rung step at or below {@code step}; -1 below the first rung. */
  long rungAtOrBelow(long step) {
    if (step < minStep) {
      return -1;
    }
    double rung = minStep;
    while (rung * factor <= step) {
      rung *= factor;
    }
    return (long) Math.floor(rung);
  }
}
