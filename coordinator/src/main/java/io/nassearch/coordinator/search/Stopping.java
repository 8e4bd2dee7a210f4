package io.nassearch.coordinator.search;

import io.nassearch.coordinator.algorithm.stopping.StoppingRule;
import io.nassearch.coordinator.space.Architecture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/** A search's early-stopping rule over its trial book. Guarded by the runner's lock. */
final class Stopping {
  private final StoppingRule rule;
  private final TrialBook book;

  Stopping(StoppingRule rule, TrialBook book) {
    this.rule = rule;
    this.book = book;
  }

  Optional<String> decide(Architecture trial, long step) {
    return rule.shouldStop(trial, step, new BookCurves());
  }

  /**
   * Steps the stopped trials did not run: for each, the largest step a completed trial reported
   * minus its last step.
   */
  long stepsSaved() {
    if (book.stopped().isEmpty()) {
      return 0;
    }
    long full = 0;
    for (Architecture a : book.completed().keySet()) {
      NavigableMap<Long, Double> m = book.measurements(a);
      full = m.isEmpty() ? full : Math.max(full, m.lastKey());
    }
    long saved = 0;
    for (Architecture a : book.stopped().keySet()) {
      saved += Math.max(0, full - book.measurements(a).lastKey());
    }
    return saved;
  }

  private final class BookCurves implements StoppingRule.Curves {
    @Override
    public Map<Architecture, NavigableMap<Long, Double>> all() {
      Map<Architecture, NavigableMap<Long, Double>> out = new HashMap<>();
      for (Map<Architecture, ?> m : List.of(book.completed(), book.stopped(), book.pending())) {
        for (Architecture a : m.keySet()) {
          NavigableMap<Long, Double> curve = book.measurements(a);
          if (!curve.isEmpty()) {
            out.put(a, curve);
          }
        }
      }
      return out;
    }

    @Override
    public boolean isFinished(Architecture a) {
      return book.completed().containsKey(a) || book.stopped().containsKey(a);
    }
  }
}
