package io.nassearch.coordinator.search;

import io.grpc.Status;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.Trial;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.UnionView;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one search, whatever its algorithm: owns its lifecycle (states, cancellation, shutdown, failure),
 * its checkpoints and the work it has outstanding on the workers. The algorithm is a {@link Designer}; the
 * evaluator is one of three:
 *
 * <ul>
 *   <li>SURROGATE: {@link SurrogateScoring} trains the search's surrogate on table values, then in rounds the
 *       runner asks the designer for {@code batch_size x batchesPerRound} architectures, scores the new ones
 *       on the workers and reports every suggestion's score back in order. Only distinct architectures count
 *       against {@code candidate_budget}; at the end the top-k by predicted score are verified against the
 *       table.
 *   <li>BENCHMARK: the runner's own loop asks for {@link Designer#batchSize} trials at a time and tells the
 *       table's values.
 *   <li>CLIENT: clients call {@link #ask} and {@link #tell} (AskTrials / TellTrial); the runner thread only
 *       waits for the end.
 * </ul>
 *
 * <p>Asks and tells of every kind go through one lock, and each ends with a checkpoint (new results, the
 * trial book's state with the designer's snapshot, and the search, in one transaction) before it returns. A
 * restarted coordinator restores the last checkpoint and continues, neither repeating nor skipping work, so
 * the results equal those of an uninterrupted run with the same seed.
 */
final class SearchRunner {
  private static final Logger log = LoggerFactory.getLogger(SearchRunner.class);
  /** Suggestion rounds in a row with nothing new after which the space counts as used up. */
  private static final int MAX_IDLE_ROUNDS = 50;
  private static final String BENCHMARK_CLIENT = "benchmark";

  private final SearchSpec spec;
  private final SpecValidator.Validated validated;
  private final String searchId;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final Designer designer;
  private final Predicate<Architecture> feasible;
  private final SurrogateScoring scoring;
  private final SearchResults results;
  private final SearchStore store;
  private final SearchRecord record;
  private final int batchesPerRound;
  private final TrialBook book;
  private final AtomicLong predictorRowsScored;

  private final OutstandingWork outstanding;
  private final Object lock = new Object();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean cancelled;
  /** The coordinator is shutting down: stop without a terminal state, so a restart resumes. */
  private volatile boolean stopping;

  /**
   * @param scoring the surrogate evaluator, for evaluator SURROGATE only (else null)
   * @param predictorRowsScored rows the designer's predictor scored (ground-truth searches), for progress
   */
  SearchRunner(Search search, SpecValidator.Validated v, Designer designer, SurrogateScoring scoring,
      SearchResults results, SearchStore store, SearchRecord record, int batchesPerRound,
      AtomicLong predictorRowsScored, OutstandingWork outstanding) {
    this.spec = search.getSpec();
    this.validated = v;
    this.searchId = search.getSearchId();
    this.space = v.space();
    this.table = v.table();
    this.designer = designer;
    this.feasible = v.tradeoff().feasible();
    this.scoring = scoring;
    this.results = results;
    this.store = store;
    this.record = record;
    this.batchesPerRound = batchesPerRound;
    this.book = new TrialBook(space);
    this.predictorRowsScored = predictorRowsScored;
    this.outstanding = outstanding;
  }

  Search current() {
    return record.current();
  }

  /** Ends the search at the next opportunity in state CANCELLED; outstanding work is withdrawn. */
  void cancel() {
    cancelled = true;
    outstanding.withdraw();
    ended.countDown();
  }

  /** Pauses for a coordinator shutdown: the stored state stays unfinished and resumes on restart. */
  void stop() {
    stopping = true;
    outstanding.withdraw();
    ended.countDown();
  }

  private Evaluator evaluator() {
    return spec.getEvaluator();
  }

  /** Runs the search to its end (or until cancelled or stopped) on the calling thread. */
  void run() {
    try {
      runToEnd();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      endAfterError(e);
    } catch (RuntimeException | ExecutionException e) {
      endAfterError(e);
    } finally {
      synchronized (lock) {
        designer.close();
      }
    }
  }

  private void runToEnd() throws InterruptedException, ExecutionException {
    switch (evaluator()) {
      case EVALUATOR_SURROGATE -> {
        if (scoring.resume()) {
          synchronized (lock) {
            if (!resume()) {
              record.update(s -> s.setState(SearchState.SEARCH_STATE_RUNNING), "resumed after a coordinator restart");
            }
          }
        } else {
          scoring.train();
        }
        explore();
      }
      case EVALUATOR_BENCHMARK -> {
        resumeGroundTruth("evaluating architectures from the benchmark table");
        while (isActive()) {
          if (evaluateRoundFromTable() == 0) {
            break;
          }
        }
      }
      default -> {
        resumeGroundTruth("waiting for clients to ask for trials");
        while (isActive()) {
          ended.await();
        }
      }
    }
    synchronized (lock) {
      if (stopping) {
        log.info("Search {} paused for shutdown with {} results", searchId, book.completed().size());
      } else if (!isTerminal()) {
        finish(cancelled ? SearchState.SEARCH_STATE_CANCELLED : SearchState.SEARCH_STATE_SUCCEEDED,
            cancelled ? "search cancelled" : evaluator() == Evaluator.EVALUATOR_SURROGATE ? "search finished"
                : "search finished: the space has no more feasible architectures");
      }
    }
  }

  private boolean isActive() {
    return !cancelled && !stopping && !isTerminal();
  }

  /** A failure (or a cancellation that interrupted work) ends the search unless the coordinator is stopping. */
  private void endAfterError(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    synchronized (lock) {
      if (stopping) {
        log.info("Search {} paused for shutdown ({})", searchId, cause.toString());
        return;
      }
      if (isTerminal()) {
        return;
      }
      if (cancelled || cause instanceof CancellationException) {
        finish(SearchState.SEARCH_STATE_CANCELLED, "search cancelled");
        return;
      }
      String message = failureMessage(cause);
      log.error("Search {} failed: {}", searchId, message, cause);
      record.update(s -> s.setState(SearchState.SEARCH_STATE_FAILED).setError(message), "search failed");
    }
  }

  /** Worker errors keep their status code; our own domain errors say what went wrong. */
  private static String failureMessage(Throwable cause) {
    if (cause instanceof io.grpc.StatusRuntimeException || cause instanceof io.grpc.StatusException) {
      Status status = Status.fromThrowable(cause);
      return status.getCode() + ": " + (status.getDescription() != null ? status.getDescription() : cause.toString());
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  // ---- resuming ----

  /** Loads the last checkpoint, if any, into the trial book and the designer. Holds the lock. */
  private boolean resume() {
    var checkpoint = store.checkpoint(searchId);
    if (checkpoint.isEmpty()) {
      return false;
    }
    byte[] snapshot = book.restore(checkpoint.get());
    designer.restore(snapshot, book.completedInOrder());
    int restored = book.completed().size();
    record.update(s -> s.setState(SearchState.SEARCH_STATE_RUNNING),
        "resumed after a coordinator restart with " + restored + " results");
    return true;
  }

  private void resumeGroundTruth(String startMessage) {
    synchronized (lock) {
      predictorRowsScored.set(record.current().getProgress().getCandidatesScored());
      if (!resume()) {
        record.update(s -> s.setState(SearchState.SEARCH_STATE_RUNNING), startMessage);
      }
      finishIfBudgetDone(); // a crash between the last tell's checkpoint and the end
    }
  }

  // ---- evaluator SURROGATE ----

  private void explore() throws InterruptedException, ExecutionException {
    long budget = spec.getCandidateBudget();
    int batchSize = spec.getBatchSize();
    long started = System.nanoTime();
    int idleRounds = 0;
    while (!cancelled && !stopping && book.completed().size() < budget && idleRounds < MAX_IDLE_ROUNDS) {
      long remaining = budget - book.completed().size();
      int want = (int) Math.min((long) batchSize * batchesPerRound, remaining);
      List<Architecture> suggested = designer.suggest(want, Set.of());
      results.listener().proposed(searchId, suggested.size());
      Set<Architecture> fresh = new LinkedHashSet<>();
      for (Architecture a : suggested) {
        if (!book.completed().containsKey(a) && fresh.size() < remaining) {
          fresh.add(a);
        }
      }
      idleRounds = fresh.isEmpty() ? idleRounds + 1 : 0;
      List<Architecture> toScore = new ArrayList<>(fresh);
      float[] scores = scoring.score(toScore);
      synchronized (lock) {
        List<ScoredCandidate> newlyScored = new ArrayList<>(toScore.size());
        for (int i = 0; i < toScore.size(); i++) {
          newlyScored.add(book.complete(toScore.get(i), scores[i]));
        }
        designer.update(withResults(suggested));
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        checkpoint(newlyScored, p -> surrogateProgress(p, seconds),
            "scored " + book.completed().size() + " of " + budget);
      }
    }
  }

  /** Every suggestion that has a result, repeats included, in suggestion order. */
  private List<Scored> withResults(List<Architecture> suggested) {
    List<Scored> out = new ArrayList<>(suggested.size());
    for (Architecture a : suggested) {
      Double v = book.completed().get(a);
      if (v != null) {
        out.add(new Scored(a, v));
      }
    }
    return out;
  }

  private void surrogateProgress(SearchProgress.Builder p, double seconds) {
    int scored = book.completed().size();
    p.setCandidatesScored(scored).setCandidatesPerSecond(scored / seconds);
    best().ifPresent(e -> p.setBestPredictedScore((float) (double) e.getValue())
        .setBestArchitecture(space.format(e.getKey())));
  }

  private java.util.Optional<Map.Entry<Architecture, Double>> best() {
    return book.best();
  }

  // ---- evaluators BENCHMARK and CLIENT ----

  /** Asks for a round of trials and tells the table's values in one checkpoint; returns how many. */
  private int evaluateRoundFromTable() throws InterruptedException, ExecutionException {
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
          book.fail(a, "the benchmark table has no " + spec.getObjective());
          designer.failed(a);
        }
      }
      designer.update(completed);
      if (!trials.isEmpty()) {
        checkpoint(told, this::groundTruthProgress, String.format(Locale.ROOT, "%d of %d trials evaluated",
            book.done(), spec.getQueryBudget()));
        finishIfBudgetDone();
      }
      return trials.size();
    }
  }

  /**
   * The caller's pending trials, then new suggestions, up to {@code count} and within the query budget.
   *
   * @throws SearchFinishedException once the search has ended
   */
  List<Trial> ask(int count, String clientId) throws InterruptedException, ExecutionException {
    synchronized (lock) {
      requireActive();
      List<Trial> out = new ArrayList<>();
      book.pendingFor(clientId, count).forEach(a -> out.add(book.trial(a)));
      int handedOut = book.done() + book.pending().size();
      int want = Math.min(count - out.size(), spec.getQueryBudget() - handedOut);
      if (want > 0) {
        int retrainsBefore = designer.retrains();
        List<Architecture> suggested = freshSuggestions(want);
        suggested.forEach(a -> {
          book.handOut(a, clientId);
          out.add(book.trial(a));
        });
        checkpoint(List.of(), this::groundTruthProgress, designer.retrains() > retrainsBefore
            ? String.format(Locale.ROOT, "surrogate ensemble retrained on %d results (retraining %d); %d trials handed out",
                book.completed().size(), designer.retrains(), suggested.size())
            : suggested.size() + " trials handed out");
      }
      return out;
    }
  }

  /**
   * Up to {@code want} new feasible architectures from the designer. A suggestion it already has a result for
   * is answered from the book, an infeasible one with -Infinity (neither is handed out); pending and failed
   * ones are skipped.
   */
  private List<Architecture> freshSuggestions(int want) throws InterruptedException, ExecutionException {
    List<Architecture> out = new ArrayList<>();
    Set<Architecture> chosen = new HashSet<>();
    Set<Architecture> pending = new UnionView<>(List.of(book.pending().keySet(), chosen));
    for (int idle = 0; out.size() < want && idle < MAX_IDLE_ROUNDS; ) {
      List<Architecture> suggested = designer.suggest(want - out.size(), pending);
      List<Scored> known = new ArrayList<>();
      int before = out.size();
      for (Architecture a : suggested) {
        Double value = book.completed().get(a);
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
   * Records a measured objective ({@code failureReason == null}) or a failure. Telling a trial again returns
   * it unchanged. Ends the search once the query budget is told.
   */
  Trial tell(String architecture, double objective, String failureReason) {
    Architecture a = space.parse(architecture);
    if (failureReason == null && !Double.isFinite(objective)) {
      throw new InvalidRequestException("objective", "must be finite, got " + objective);
    }
    synchronized (lock) {
      if (book.isDone(a)) {
        return book.trial(a);
      }
      requireActive();
      List<ScoredCandidate> told = List.of();
      String message;
      if (failureReason == null) {
        told = List.of(book.complete(a, objective));
        designer.update(List.of(new Scored(a, objective)));
        message = String.format(Locale.ROOT, "trial %d of %d told: %.4f", book.done(), spec.getQueryBudget(), objective);
      } else {
        book.fail(a, failureReason);
        designer.failed(a);
        message = "trial " + book.done() + " of " + spec.getQueryBudget() + " failed: " + book.failureReason(a);
      }
      checkpoint(told, this::groundTruthProgress, message);
      finishIfBudgetDone();
      return book.trial(a);
    }
  }

  /** Completed trials in order, then failed ones, then pending ones. */
  List<Trial> trials() {
    synchronized (lock) {
      return book.trials();
    }
  }

  /** The results so far (completed architectures and their values, in order), for GetResults. */
  Map<Architecture, Double> resultsSoFar() {
    synchronized (lock) {
      return new java.util.LinkedHashMap<>(book.completed());
    }
  }

  private void finishIfBudgetDone() {
    if (book.done() >= spec.getQueryBudget() && !isTerminal()) {
      finish(SearchState.SEARCH_STATE_SUCCEEDED, "search finished: " + book.done() + " trials told");
      ended.countDown();
    }
  }

  private void requireActive() {
    if (isTerminal() || cancelled) {
      throw new SearchFinishedException("Search " + searchId + " is "
          + record.current().getState().name().replace("SEARCH_STATE_", "") + (cancelled ? " (cancelled)" : "")
          + "; it takes no more trials");
    }
    if (stopping) {
      throw new NotReadyException("The coordinator is shutting down; retry after it restarts");
    }
  }

  private void groundTruthProgress(SearchProgress.Builder p) {
    p.setQueryBudget(spec.getQueryBudget())
        .setTrialsTold(book.done())
        .setTrialsPending(book.pending().size())
        .setSurrogateRetrains(designer.retrains())
        .setGroundTruthQueries(book.completed().size())
        .setCandidatesScored(predictorRowsScored.get());
    best().ifPresent(e -> p.setBestTrueObjective(e.getValue()).setBestTrueArchitecture(space.format(e.getKey())));
  }

  // ---- the end ----

  private boolean isTerminal() {
    return SearchManager.isTerminal(record.current().getState());
  }

  /** Stores the results and the terminal state. Holds the lock. */
  private void finish(SearchState state, String message) {
    List<Candidate> ranked = results.putFinal(record.current(), validated, book.completed());
    boolean surrogate = evaluator() == Evaluator.EVALUATOR_SURROGATE;
    record.update(s -> {
      s.setState(state).setError("");
      SearchProgress.Builder p = s.getProgress().toBuilder();
      if (surrogate) {
        p.setGroundTruthQueries(p.getGroundTruthQueries() + ranked.size());
      } else {
        groundTruthProgress(p);
        p.setTrialsPending(state == SearchState.SEARCH_STATE_SUCCEEDED ? 0 : book.pending().size());
      }
      s.setProgress(p);
    }, message);
  }

  /** Stores new results, the trial book with the designer's snapshot, and the search, in one transaction. */
  private void checkpoint(List<ScoredCandidate> newResults, Consumer<SearchProgress.Builder> progress, String message) {
    record.checkpoint(s -> {
      SearchProgress.Builder p = s.getProgress().toBuilder();
      progress.accept(p);
      s.setProgress(p);
    }, newResults, book.state(designer.snapshot()), message);
  }
}
