package io.nassearch.coordinator.metrics;

import static io.nassearch.coordinator.metrics.CoordinatorMetricsDoc.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.search.SearchListener;
import io.nassearch.coordinator.search.SearchStates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;

/**
 * Meters fed by search events: searches by state, totals, and (unless turned off) per-search
 * meters, kept while a search runs and for the {@code retainFinished} most recently finished
 * searches.
 */
@ThreadSafe
final class SearchMetrics implements SearchListener {
  private final MeterRegistry registry;
  private final int retainFinished;
  private final boolean perSearch;
  private final Counter proposed;
  private final Counter groundTruth;
  private final Map<SearchState, AtomicInteger> searchesByState = new EnumMap<>(SearchState.class);
  private final Map<String, SearchMeters> searches = new ConcurrentHashMap<>();

  @GuardedBy("this")
  private final Deque<String> finished = new ArrayDeque<>();

  SearchMetrics(MeterRegistry registry, int retainFinished, boolean perSearch) {
    this.registry = registry;
    this.retainFinished = retainFinished;
    this.perSearch = perSearch;
    proposed = Meters.counter(registry, CANDIDATES_PROPOSED, Tags.empty());
    groundTruth = Meters.counter(registry, GROUND_TRUTH_QUERIES, Tags.empty());
    for (SearchState s : SearchState.values()) {
      if (s == SearchState.UNRECOGNIZED || s == SearchState.SEARCH_STATE_UNSPECIFIED) {
        continue;
      }
      AtomicInteger n = new AtomicInteger();
      searchesByState.put(s, n);
      Meters.gauge(
          registry, SEARCHES, Tags.of(Tag.STATE.key(), CoordinatorMetrics.stateName(s)), n);
    }
  }

  @Override
  public void searchChanged(Search search) {
    SearchMeters m = searches.computeIfAbsent(search.getSearchId(), id -> new SearchMeters(search));
    synchronized (m) {
      if (m.removed) {
        return;
      }
      if (m.state != search.getState()) {
        AtomicInteger before = m.state == null ? null : searchesByState.get(m.state);
        if (before != null) {
          before.decrementAndGet();
        }
        AtomicInteger after = searchesByState.get(search.getState());
        if (after != null) {
          after.incrementAndGet();
        }
        m.state = search.getState();
      }
      var p = search.getProgress();
      m.budget = p.getCandidateBudget();
      m.scored = p.getCandidatesScored();
      if (p.getCandidatesScored() > 0) {
        m.bestPredicted = p.getBestPredictedScore();
      }
      m.trialsTold = p.getTrialsTold();
      m.trialsStopped = p.getTrialsStopped();
      m.stepsSaved = p.getStepsSaved();
      m.queryBudget = p.getQueryBudget();
      m.trialsPending = p.getTrialsPending();
      m.retrains = p.getSurrogateRetrains();
      if (p.hasBestTrueObjective()) {
        m.bestTrue = p.getBestTrueObjective();
      }
      long queries = p.getGroundTruthQueries();
      if (queries > m.groundTruthQueries) {
        groundTruth.increment(queries - m.groundTruthQueries);
        m.groundTruthQueries = queries;
      }
    }
    if (SearchStates.isTerminal(search.getState())) {
      retire(search.getSearchId());
    }
  }

  @Override
  public void proposed(String searchId, int count) {
    proposed.increment(count);
    SearchMeters m = searches.get(searchId);
    if (m != null) {
      synchronized (m) {
        m.proposed += count;
      }
    }
  }

  @Override
  public void verified(String searchId, List<Candidate> ranked) {
    SearchMeters m = searches.get(searchId);
    if (m == null) {
      return;
    }
    double best = Double.NaN;
    double regret = Double.NaN;
    for (Candidate c : ranked) {
      if (c.hasTrueObjective() && (Double.isNaN(best) || c.getTrueObjective() > best)) {
        best = c.getTrueObjective();
        regret = c.hasObjectiveRegret() ? c.getObjectiveRegret() : Double.NaN;
      }
    }
    synchronized (m) {
      m.bestTrue = best;
      m.bestRegret = regret;
    }
  }

  private synchronized void retire(String searchId) {
    if (finished.contains(searchId)) {
      return;
    }
    finished.addLast(searchId);
    while (finished.size() > retainFinished) {
      SearchMeters old = searches.remove(finished.removeFirst());
      if (old != null) {
        synchronized (old) {
          old.removed = true;
        }
        old.meters.forEach(registry::remove);
      }
    }
  }

  /** One search's values; the gauges read them, guarded by this object. */
  private final class SearchMeters {
    final List<Meter> meters = new ArrayList<>();
    SearchState state;
    boolean removed;
    long budget;
    long scored;
    long proposed;
    long groundTruthQueries;
    double bestPredicted = Double.NaN;
    double bestTrue = Double.NaN;
    double bestRegret = Double.NaN;
    long trialsTold;
    long trialsStopped;
    long stepsSaved;
    long queryBudget;
    long trialsPending;
    long retrains;

    SearchMeters(Search search) {
      if (!perSearch) {
        return; // state counts and the totals still follow the search
      }
      Tags tags =
          Tags.of(
              Tag.SEARCH.key(),
              search.getSearchId(),
              Tag.ALGORITHM.key(),
              search.getSpec().getAlgorithm());
      meters.add(functionCounter(SEARCH_CANDIDATES_SCORED, tags, m -> m.scored));
      meters.add(functionCounter(SEARCH_CANDIDATES_PROPOSED, tags, m -> m.proposed));
      meters.add(searchGauge(SEARCH_CANDIDATE_BUDGET, tags, m -> m.budget));
      meters.add(
          searchGauge(
              SEARCH_PROGRESS,
              tags,
              m ->
                  m.queryBudget > 0
                      ? (double) m.trialsTold / m.queryBudget
                      : m.budget == 0 ? 0 : (double) m.scored / m.budget));
      meters.add(searchGauge(SEARCH_BEST_PREDICTED, tags, m -> m.bestPredicted));
      meters.add(searchGauge(SEARCH_GROUND_TRUTH, tags, m -> m.groundTruthQueries));
      meters.add(searchGauge(SEARCH_BEST_TRUE, tags, m -> m.bestTrue));
      meters.add(searchGauge(SEARCH_BEST_REGRET, tags, m -> m.bestRegret));
      meters.add(functionCounter(SEARCH_TRIALS_TOLD, tags, m -> m.trialsTold));
      meters.add(searchGauge(SEARCH_TRIALS_PENDING, tags, m -> m.trialsPending));
      meters.add(functionCounter(SEARCH_TRIALS_STOPPED, tags, m -> m.trialsStopped));
      meters.add(functionCounter(SEARCH_STEPS_SAVED, tags, m -> m.stepsSaved));
      meters.add(functionCounter(SEARCH_SURROGATE_RETRAINS, tags, m -> m.retrains));
    }

    private Meter searchGauge(
        CoordinatorMetricsDoc doc, Tags tags, java.util.function.ToDoubleFunction<SearchMeters> f) {
      return Gauge.builder(doc.metricName(), this, m -> read(m, f))
          .description(doc.description())
          .baseUnit(doc.baseUnit())
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }

    private Meter functionCounter(
        CoordinatorMetricsDoc doc, Tags tags, java.util.function.ToDoubleFunction<SearchMeters> f) {
      return FunctionCounter.builder(doc.metricName(), this, m -> read(m, f))
          .description(doc.description())
          .tags(tags)
          .register(registry);
    }
  }

  private static double read(SearchMeters m, java.util.function.ToDoubleFunction<SearchMeters> f) {
    synchronized (m) {
      return f.applyAsDouble(m);
    }
  }
}
