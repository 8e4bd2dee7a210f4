package io.nassearch.launcher.bench;

import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.algorithm.stopping.StoppingRule;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * One search run on NAS-Bench-201 with a simulated GPU clock: training an architecture for 200
 * epochs costs its {@code cifar10_trainsplit_train_time_s}, the 12-epoch measurement ({@code
 * cifar10_valid_12ep}) 12/200 of it. Decisions use validation accuracy; the incumbent is the
 * best-validation architecture trained to 200 epochs, reported by its CIFAR-10 test accuracy.
 * Sequential: one simulated GPU.
 */
final class SimulatedCostRun {
  static final String TIME = "cifar10_trainsplit_train_time_s";
  static final String VALID = "cifar10_valid";
  static final String VALID_12 = "cifar10_valid_12ep";
  static final String TEST = "cifar10_test";
  static final long SHORT = 12;
  static final long FULL = 200;
  private static final int MAX_IDLE_ROUNDS = 1_000;

  /** When the incumbent changed: simulated seconds spent so far, its test accuracy. */
  record Event(double seconds, double test) {}

  private final BenchmarkTable table;
  private final double capSeconds;
  private final Architecture target;
  private final List<Event> events = new ArrayList<>();
  private double seconds;
  private double bestValid = Double.NEGATIVE_INFINITY;

  SimulatedCostRun(BenchmarkTable table, double capSeconds, Architecture target) {
    this.table = table;
    this.capSeconds = capSeconds;
    this.target = target;
  }

  /** The incumbent's test accuracy at each change, in time order. */
  List<Event> events() {
    return events;
  }

  /**
   * A designer's suggestions, trained to 200 epochs; with a {@code rule}, each first reports its
   * 12-epoch value, and one the rule stops costs only that and is told to the designer at that
   * value. Ends at the cap or once the target is trained fully. Closes the designer.
   */
  SimulatedCostRun designer(Designer designer, StoppingRule rule)
      throws InterruptedException, ExecutionException {
    Map<Architecture, NavigableMap<Long, Double>> curves = new HashMap<>();
    Set<Architecture> finished = new HashSet<>();
    StoppingRule.Curves view =
        new StoppingRule.Curves() {
          @Override
          public Map<Architecture, NavigableMap<Long, Double>> all() {
            return curves;
          }

          @Override
          public boolean isFinished(Architecture a) {
            return finished.contains(a);
          }
        };
    Map<Architecture, Double> known = new HashMap<>();
    try (designer) {
      for (int idle = 0; seconds < capSeconds && idle < MAX_IDLE_ROUNDS; ) {
        List<Scored> completed = new ArrayList<>();
        int before = known.size();
        for (Architecture a : designer.suggest(designer.batchSize(), Set.of())) {
          if (!known.containsKey(a) && seconds < capSeconds) {
            double value;
            if (rule == null) {
              value = trainFully(a, 1.0);
            } else {
              seconds += time(a) * SHORT / FULL;
              double early = valid12(a);
              curves.put(a, new TreeMap<>(Map.of(SHORT, early)));
              boolean stop = rule.shouldStop(a, SHORT, view).isPresent();
              value = stop ? early : trainFully(a, (double) (FULL - SHORT) / FULL);
              if (!stop) {
                curves.get(a).put(FULL, value);
              }
              finished.add(a);
            }
            known.put(a, value);
          }
          if (known.containsKey(a)) {
            completed.add(new Scored(a, known.get(a)));
          }
        }
        designer.update(completed);
        if (target != null && events.size() > 0 && bestValid >= valid(target)) {
          break; // the optimum is the incumbent for good
        }
        idle = known.size() > before ? 0 : idle + 1;
      }
    }
    return this;
  }

  /**
   * Hyperband with the table's two fidelities (eta 3): brackets alternate between 27 random
   * architectures at 12 epochs with the best 9 continued to 200, and 9 random ones at 200.
   */
  SimulatedCostRun hyperband(EnumerableSearchSpace space, long seed) {
    Xoshiro256 rng = new Xoshiro256(seed);
    Set<Architecture> seen = new HashSet<>();
    for (int bracket = 0; seconds < capSeconds; bracket++) {
      List<Architecture> sampled = new ArrayList<>();
      int n = bracket % 2 == 0 ? 27 : 9;
      while (sampled.size() < n && seen.size() < space.size()) {
        Architecture a = space.sample(rng);
        if (seen.add(a)) {
          sampled.add(a);
        }
      }
      if (sampled.isEmpty()) {
        break;
      }
      double fraction = 1.0;
      if (bracket % 2 == 0) {
        for (Architecture a : sampled) {
          seconds += time(a) * SHORT / FULL;
        }
        sampled.sort(Comparator.comparingDouble((Architecture a) -> -valid12(a)));
        sampled = sampled.subList(0, n / 3);
        fraction = (double) (FULL - SHORT) / FULL;
      }
      for (Architecture a : sampled) {
        if (seconds < capSeconds) {
          trainFully(a, fraction);
        }
      }
    }
    return this;
  }

  /** Trains {@code a} for the rest ({@code fraction} of its time) to 200 epochs. */
  private double trainFully(Architecture a, double fraction) {
    seconds += time(a) * fraction;
    double v = valid(a);
    if (v > bestValid) {
      bestValid = v;
      events.add(new Event(seconds, table.value(a, TEST).orElse(Double.NaN)));
    }
    return v;
  }

  private double time(Architecture a) {
    return table.value(a, TIME).orElseThrow();
  }

  private double valid(Architecture a) {
    return table.value(a, VALID).orElse(Double.NEGATIVE_INFINITY);
  }

  private double valid12(Architecture a) {
    return table.value(a, VALID_12).orElse(Double.NEGATIVE_INFINITY);
  }

  /** The incumbent's test accuracy after {@code hours} of simulated GPU time; NaN before any. */
  static double testAt(List<Event> events, double hours) {
    double out = Double.NaN;
    for (Event e : events) {
      if (e.seconds() <= hours * 3600) {
        out = e.test();
      }
    }
    return out;
  }
}
