package io.nassearch.coordinator.algorithm.stopping;

import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Stops a trial whose partial curve is poor and whose architecture the ranking surrogate does not
 * expect to be good: its value at this step is below the {@code quantile} of the values finished
 * trials had at the same step (their last measurement at or before it; at least {@link #MIN_PEERS}
 * of them), and the designer's predictor ranks it outside the {@code topFraction} (see {@link
 * Designer#predictedRankFraction}). Without a prediction (random warm-up trials, a designer without
 * a predictor) the quantile decides alone.
 */
final class SurrogateRule implements StoppingRule {
  static final int MIN_PEERS = 3;

  private final long minStep;
  private final double quantile;
  private final double topFraction;
  private final Designer designer;

  SurrogateRule(long minStep, double quantile, double topFraction, Designer designer) {
    this.minStep = minStep;
    this.quantile = quantile;
    this.topFraction = topFraction;
    this.designer = designer;
  }

  @Override
  public Optional<String> shouldStop(Architecture trial, long step, Curves curves) {
    NavigableMap<Long, Double> curve = curves.all().get(trial);
    if (curve == null || step < minStep) {
      return Optional.empty();
    }
    List<Double> peers = new ArrayList<>();
    for (Map.Entry<Architecture, NavigableMap<Long, Double>> e : curves.all().entrySet()) {
      NavigableMap<Long, Double> c = e.getValue();
      if (!e.getKey().equals(trial) && curves.isFinished(e.getKey()) && c.lastKey() >= step) {
        peers.add(c.floorEntry(step).getValue());
      }
    }
    if (peers.size() < MIN_PEERS) {
      return Optional.empty();
    }
    Collections.sort(peers);
    double threshold = peers.get((int) Math.floor(quantile * (peers.size() - 1)));
    double value = curve.get(step);
    if (value >= threshold) {
      return Optional.empty();
    }
    OptionalDouble rank = designer.predictedRankFraction(trial);
    if (rank.isPresent() && rank.getAsDouble() <= topFraction) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "surrogate rule: %.4f at step %d is below the %.2f quantile %.4f of %d finished trials%s",
            value,
            step,
            quantile,
            threshold,
            peers.size(),
            rank.isPresent()
                ? String.format(
                    Locale.ROOT, "; predicted in the top %.0f%%", 100 * rank.getAsDouble())
                : "; no prediction"));
  }
}
