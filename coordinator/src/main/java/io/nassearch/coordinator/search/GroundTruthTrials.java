package io.nassearch.coordinator.search;

import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.UnionView;
import io.nassearch.coordinator.algorithm.stopping.StoppingRule;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The trials of a ground-truth search (evaluator BENCHMARK or CLIENT): asks hand out the caller's
 * pending trials, then fresh suggestions of the designer; tells record a value or a failure. Every
 * ask that hands something out and every tell ends with a checkpoint of the {@link SearchRunner}
 * that owns this, under its lock.
 */
final class GroundTruthTrials {
  /** Suggestion rounds in a row with nothing new after which the space counts as used up. */
  private static final int MAX_IDLE_ROUNDS = 50;

  private static final String BENCHMARK_CLIENT = "benchmark";

  /** What the runner does for its trials. */
  interface Lifecycle extends Checkpoints {

    /**
     * Throws {@link SearchFinishedException} or {@link NotReadyException} unless the search takes
     * trials.
     */
    void requireActive();

    void finishIfBudgetDone();

    /** Stores results whose checkpoint failed on a store fault; throws while it still does. */
    void flushPending();
  }

  private final SearchSpec spec;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final Designer designer;
  private final Predicate<Architecture> feasible;
  private final TrialBook book;
  private final Object lock;
  private final AtomicLong predictorRowsScored;
  private final Lifecycle lifecycle;
  private final Stopping stopping;

  GroundTruthTrials(
      SearchSpec spec,
      SearchSpace space,
      BenchmarkTable table,
      Designer designer,
      Predicate<Architecture> feasible,
      TrialBook book,
      Object lock,
      AtomicLong predictorRowsScored,
      Lifecycle lifecycle) {
    this.spec = spec;
    this.space = space;
    this.table = table;
    this.designer = designer;
    this.feasible = feasible;
    this.book = book;
    this.lock = lock;
    this.predictorRowsScored = predictorRowsScored;
    this.lifecycle = lifecycle;
    this.stopping = new Stopping(StoppingRule.of(spec.getEarlyStopping(), designer), book);
  }

  /**
   * Asks for a round of trials and tells the table's values in one checkpoint; returns how many.
   */
  int evaluateRoundFromTable() throws InterruptedException, ExecutionException {
    synchronized (lock) {
      List<Trial> trials = ask(designer.batchSize(), BENCHMARK_CLIENT);
      List<ScoredCandidate> told = new ArrayList<>();
      List<Scored> completed = new ArrayList<>();
      for (Trial t : trials) {
        Architecture a = space.parse(t.getArchitecture());
        var truth = table.value(a, spec.getObjective());
        if (truth.isPresent()) {
          told.add(book.complete(a, truth.getAsDouble()));
          completed.add(new Scored(a, truth.getAsDouble()));
        } else { // a row without the objective is an infeasible member, not an error
          book.markInfeasible(a, "the benchmark table has no " + spec.getObjective());
          designer.failed(a);
        }
      }
      designer.update(completed);
      if (!trials.isEmpty()) {
        lifecycle.checkpoint(
            told,
            this::progress,
            String.format(
                Locale.ROOT, "%d of %d trials evaluated", book.done(), spec.getQueryBudget()));
        lifecycle.finishIfBudgetDone();
      }
      return trials.size();
    }
  }

  /**
   * The caller's pending trials, then new suggestions, up to {@code count} and within the query
   * budget.
   *
   * @throws SearchFinishedException once the search has ended
   */
  List<Trial> ask(int count, String clientId) throws InterruptedException, ExecutionException {
    synchronized (lock) {
      lifecycle.requireActive();
      List<Trial> out = new ArrayList<>();
      book.pendingFor(clientId, count).forEach(a -> out.add(book.trial(a)));
      int handedOut = book.done() + book.pending().size();
      int want = Math.min(count - out.size(), spec.getQueryBudget() - handedOut);
      if (want > 0) {
        int retrainsBefore = designer.retrains();
        List<Architecture> suggested = freshSuggestions(want);
        suggested.forEach(
            a -> {
              book.handOut(a, clientId);
              out.add(book.trial(a));
            });
        lifecycle.checkpoint(
            List.of(),
            this::progress,
            designer.retrains() > retrainsBefore
                ? String.format(
                    Locale.ROOT,
                    "surrogate ensemble retrained on %d results (retraining %d); %d trials handed out",
                    book.completed().size(),
                    designer.retrains(),
                    suggested.size())
                : suggested.size() + " trials handed out");
      }
      return out;
    }
  }

  /**
   * Up to {@code want} new feasible architectures from the designer. A suggestion it already has a
   * result for is answered from the book, an infeasible one with -Infinity (neither is handed out);
   * pending and failed ones are skipped.
   */
  private List<Architecture> freshSuggestions(int want)
      throws InterruptedException, ExecutionException {
    List<Architecture> out = new ArrayList<>();
    Set<Architecture> chosen = new HashSet<>();
    Set<Architecture> pending = new UnionView<>(List.of(book.pending().keySet(), chosen));
    for (int idle = 0; out.size() < want && idle < MAX_IDLE_ROUNDS; ) {
      List<Architecture> suggested = designer.suggest(want - out.size(), pending);
      List<Scored> known = new ArrayList<>();
      int before = out.size();
      for (Architecture a : suggested) {
        Double value = book.learntValue(a);
        if (value != null) {
          known.add(new Scored(a, value));
        } else if (!feasible.test(a)) {
          known.add(new Scored(a, Double.NEGATIVE_INFINITY));
        } else if (!book.isFailed(a) && !pending.contains(a) && out.size() < want) {
          out.add(a);
          chosen.add(a);
        }
      }
      if (!known.isEmpty()) {
        designer.update(known);
      }
      if (suggested.isEmpty()) {
        break;
      }
      idle = out.size() == before ? idle + 1 : 0;
    }
    return out;
  }

  /**
   * TellTrial: records the result of a trial handed out by {@link #ask}. Telling a trial again
   * returns it unchanged. Ends the search once the query budget is told.
   */
  Trial tell(String architecture, TrialResult result) {
    Architecture a = parse(architecture, result);
    synchronized (lock) {
      if (book.isDone(a)) {
        lifecycle.flushPending(); // not reported as stored before it is
        return sameTellAgain(book.trial(a), result);
      }
      lifecycle.requireActive();
      if (!book.pending().containsKey(a)) {
        throw new PreconditionFailedException(
            "Trial "
                + architecture
                + " was never asked for; report the result of an architecture "
                + "that was not asked with AddTrial");
      }
      return record(a, result);
    }
  }

  /** AddTrial: the result of an architecture that was not asked for. */
  Trial add(String architecture, TrialResult result, String clientId) {
    Architecture a = parse(architecture, result);
    synchronized (lock) {
      if (book.isDone(a)) {
        lifecycle.flushPending();
        return sameTellAgain(book.trial(a), result);
      }
      lifecycle.requireActive();
      if (book.pending().containsKey(a)) {
        throw new PreconditionFailedException(
            "Trial " + architecture + " was asked for and is pending; tell it with TellTrial");
      }
      book.add(a, clientId);
      return record(a, result);
    }
  }

  /**
   * ReportMeasurement: records a pending trial's measurement and asks the stopping rule; a trial
   * told to stop is recorded as STOPPED, and the designer learns its value.
   */
  StopDecision report(String architecture, long step, double value) {
    Architecture a = space.parse(architecture);
    synchronized (lock) {
      lifecycle.requireActive();
      if (!book.pending().containsKey(a)) {
        throw new PreconditionFailedException(
            "Trial "
                + architecture
                + (book.isDone(a) ? " is already " + book.trial(a).getState() : " is not pending")
                + "; only trials handed out by AskTrials and not told take measurements");
      }
      book.measure(a, step, value);
      Optional<String> stop = stopping.decide(a, step);
      String message;
      if (stop.isPresent()) {
        book.stop(a, stop.get());
        designer.update(List.of(new Scored(a, value)));
        message = "trial " + book.done() + " of " + spec.getQueryBudget() + " " + stop.get();
      } else {
        message = String.format(Locale.ROOT, "%s step %d: %.4f", architecture, step, value);
      }
      lifecycle.checkpoint(List.of(), this::progress, message);
      lifecycle.finishIfBudgetDone();
      return new StopDecision(stop.orElse(""), book.trial(a));
    }
  }

  private Architecture parse(String architecture, TrialResult result) {
    Architecture a = space.parse(architecture);
    if (result.reason() == null && !Double.isFinite(result.objective())) {
      throw new InvalidRequestException("objective", "must be finite, got " + result.objective());
    }
    if (result.reason() != null && result.reason().length() > 1024) {
      throw new InvalidRequestException(result.reasonField(), "must be at most 1024 characters");
    }
    return a;
  }

  private Trial record(Architecture a, TrialResult result) {
    List<ScoredCandidate> told = List.of();
    String outcome;
    switch (result.state()) {
      case TRIAL_STATE_COMPLETED -> {
        told = List.of(book.complete(a, result.objective()));
        designer.update(List.of(new Scored(a, result.objective())));
        outcome = String.format(Locale.ROOT, "told: %.4f", result.objective());
      }
      case TRIAL_STATE_INFEASIBLE -> {
        book.markInfeasible(a, result.reason());
        designer.failed(a);
        outcome = "infeasible: " + book.failureReason(a);
      }
      default -> {
        book.fail(a, result.reason());
        designer.failed(a);
        outcome = "failed: " + book.failureReason(a);
      }
    }
    lifecycle.checkpoint(
        told,
        this::progress,
        "trial " + book.done() + " of " + spec.getQueryBudget() + " " + outcome);
    lifecycle.finishIfBudgetDone();
    return book.trial(a);
  }

  /** The progress of a ground-truth search. */
  void progress(SearchProgress.Builder p) {
    p.setQueryBudget(spec.getQueryBudget())
        .setTrialsTold(book.done())
        .setTrialsPending(book.pending().size())
        .setSurrogateRetrains(designer.retrains())
        .setGroundTruthQueries(book.completed().size())
        .setCandidatesScored(predictorRowsScored.get())
        .setTrialsStopped(book.stopped().size())
        .setStepsSaved(stopping.stepsSaved());
    book.best()
        .ifPresent(
            e ->
                p.setBestTrueObjective(e.getValue())
                    .setBestTrueArchitecture(space.format(e.getKey())));
  }

  /**
   * A repeated tell (a client retrying after a lost response) gets the stored trial; a tell that
   * contradicts it is refused, so nothing stored changes silently.
   */
  private static Trial sameTellAgain(Trial stored, TrialResult result) {
    boolean same =
        stored.getState() == result.state()
            && (result.state() != TrialState.TRIAL_STATE_COMPLETED
                || stored.getObjective() == result.objective());
    if (!same) {
      throw new TrialConflictException(
          "Trial "
              + stored.getArchitecture()
              + " is already "
              + switch (stored.getState()) {
                case TRIAL_STATE_COMPLETED -> "told with objective " + stored.getObjective();
                case TRIAL_STATE_STOPPED ->
                    "stopped early at "
                        + stored.getObjective()
                        + " ("
                        + stored.getFailureReason()
                        + ")";
                default -> "told as " + stored.getState() + " (" + stored.getFailureReason() + ")";
              }
              + "; a different result is refused");
    }
    return stored;
  }
}
