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
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one search, whatever its algorithm: owns its lifecycle (states, cancellation, shutdown,
 * failure), its checkpoints and the work it has outstanding on the workers. The algorithm is a
 * {@link Designer}; the evaluator is one of three:
 *
 * <ul>
 *   <li>SURROGATE: {@link SurrogateScoring} trains the search's surrogate on table values, then a
 *       {@link ScoringPipeline} has the designer's suggestions scored on the workers, {@code
 *       batches_in_flight} batches at a time, keeping a {@link ScoredSummary} of them (memory does
 *       not grow with the candidates). Only distinct architectures count against {@code
 *       candidate_budget}; at the end the top-k by predicted score are verified against the table.
 *   <li>BENCHMARK: the runner's own loop asks for {@link Designer#batchSize} trials at a time and
 *       tells the table's values.
 *   <li>CLIENT: clients call {@link #ask} and {@link #tell} (AskTrials / TellTrial); the runner
 *       thread only waits for the end.
 * </ul>
 *
 * <p>Asks and tells of every kind go through one lock, and each ends with a checkpoint (new
 * results, the trial book's state with the designer's snapshot, and the search, in one transaction)
 * before it returns. A restarted coordinator restores the last checkpoint and continues, neither
 * repeating nor skipping work, so the results equal those of an uninterrupted run with the same
 * seed (for a surrogate-scored search of more than a million candidates, see {@link
 * ScoredSummary}).
 */
final class SearchRunner implements GroundTruthTrials.Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(SearchRunner.class);

  private final SearchSpec spec;

  private final SpecValidator.Validated validated;
  private final String searchId;
  private final SearchSpace space;
  private final BenchmarkTable table;
  private final Designer designer;
  private final SurrogateScoring scoring;
  private final SearchResults results;
  private final SearchStore store;
  private final SearchRecord record;
  private final TrialBook book;

  /** What a surrogate-scored search keeps of its candidates (null for the other evaluators). */
  private final ScoredSummary summary;

  private final AtomicLong predictorRowsScored;
  private final GroundTruthTrials trials;
  private final OutstandingWork outstanding;
  private final Object lock = new Object();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean cancelled;

  /** The coordinator is shutting down: stop without a terminal state, so a restart resumes. */
  private volatile boolean stopping;

  /** Whether to load the last checkpoint first (a new search has none). */
  private final boolean resuming;

  /** The last checkpoint is loaded: until then asks and tells would act on an empty book. */
  private volatile boolean ready;

  /**
   * @param scoring the surrogate evaluator, for evaluator SURROGATE only (else null)
   * @param predictorRowsScored rows the designer's predictor scored (ground-truth searches), for
   *     progress
   * @param resuming whether the search was stored before this coordinator started (it may have a
   *     checkpoint)
   */
  SearchRunner(
      Search search,
      SpecValidator.Validated v,
      Designer designer,
      SurrogateScoring scoring,
      SearchResults results,
      SearchStore store,
      SearchRecord record,
      AtomicLong predictorRowsScored,
      OutstandingWork outstanding,
      boolean resuming) {
    this.spec = search.getSpec();
    this.validated = v;
    this.searchId = search.getSearchId();
    this.space = v.space();
    this.table = v.table();
    this.designer = designer;
    this.scoring = scoring;
    this.results = results;
    this.store = store;
    this.record = record;
    this.book = new TrialBook(space);
    this.summary =
        scoring == null
            ? null
            : new ScoredSummary(space, spec.getCandidateBudget(), spec.getTopK(), spec.getSeed());
    this.predictorRowsScored = predictorRowsScored;
    this.outstanding = outstanding;
    this.resuming = resuming;
    this.ready = !resuming;
    this.trials =
        new GroundTruthTrials(
            spec,
            space,
            table,
            designer,
            v.tradeoff().feasible(),
            book,
            lock,
            predictorRowsScored,
            this);
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

  /**
   * Pauses for a coordinator shutdown: the stored state stays unfinished and resumes on restart.
   */
  void stop() {
    stopping = true;
    record.stopWaiting();
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
        boolean trained = scoring.resume();
        if (!trained) {
          scoring.train();
        }
        ScoringPipeline pipeline = scoring.pipeline(designer, summary);
        if (trained) {
          synchronized (lock) {
            if (!resumeScoring(pipeline)) {
              record.update(
                  s -> s.setState(SearchState.SEARCH_STATE_RUNNING),
                  "resumed after a coordinator restart");
            }
          }
        }
        pipeline.run(
            lock, () -> !cancelled && !stopping, results.listener(), searchId, this::checkpoint);
      }
      case EVALUATOR_BENCHMARK -> {
        resumeGroundTruth("evaluating architectures from the benchmark table");
        while (isActive()) {
          if (trials.evaluateRoundFromTable() == 0) {
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
        log.info(
            "Search {} paused for shutdown with {} results",
            searchId,
            summary != null ? summary.distinct() : book.completed().size());
      } else if (!isTerminal()) {
        finish(
            cancelled ? SearchState.SEARCH_STATE_CANCELLED : SearchState.SEARCH_STATE_SUCCEEDED,
            cancelled
                ? "search cancelled"
                : evaluator() == Evaluator.EVALUATOR_SURROGATE
                    ? "search finished"
                    : "search finished: the space has no more feasible architectures");
      }
    }
  }

  private boolean isActive() {
    return !cancelled && !stopping && !isTerminal();
  }

  /**
   * A failure (or a cancellation that interrupted work) ends the search unless the coordinator is
   * stopping.
   */
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
      record.update(
          s -> s.setState(SearchState.SEARCH_STATE_FAILED).setError(message), "search failed");
    }
  }

  /** Worker errors keep their status code; our own domain errors say what went wrong. */
  private static String failureMessage(Throwable cause) {
    if (cause instanceof io.grpc.StatusRuntimeException
        || cause instanceof io.grpc.StatusException) {
      Status status = Status.fromThrowable(cause);
      return status.getCode()
          + ": "
          + (status.getDescription() != null ? status.getDescription() : cause.toString());
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
    record.update(
        s -> s.setState(SearchState.SEARCH_STATE_RUNNING),
        "resumed after a coordinator restart with " + restored + " results");
    return true;
  }

  /** Loads a surrogate-scored search's last checkpoint, if any, into the pipeline. */
  private boolean resumeScoring(ScoringPipeline pipeline) {
    var checkpoint = store.checkpoint(searchId);
    if (checkpoint.isEmpty()) {
      return false;
    }
    byte[] state = checkpoint.get().algorithmState();
    if (ScoringPipeline.isPipelineState(state)) {
      pipeline.restore(state, checkpoint.get().candidates());
    } else {
      pipeline.restoreTrialBook(checkpoint.get());
    }
    long restored = summary.distinct();
    record.update(
        s -> s.setState(SearchState.SEARCH_STATE_RUNNING),
        "resumed after a coordinator restart with " + restored + " candidates scored");
    return true;
  }

  private void resumeGroundTruth(String startMessage) {
    synchronized (lock) {
      if (resuming) {
        predictorRowsScored.set(record.current().getProgress().getCandidatesScored());
      }
      if (!resuming || !resume()) {
        record.update(s -> s.setState(SearchState.SEARCH_STATE_RUNNING), startMessage);
      }
      ready = true;
      finishIfBudgetDone(); // a crash between the last tell's checkpoint and the end
    }
  }

  // ---- evaluators BENCHMARK and CLIENT ----

  /** Where AskTrials, TellTrial, AddTrial and ReportMeasurement go. */
  GroundTruthTrials groundTruth() {
    return trials;
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

  @Override
  public void finishIfBudgetDone() {
    if (book.done() >= spec.getQueryBudget() && !isTerminal()) {
      finish(
          SearchState.SEARCH_STATE_SUCCEEDED, "search finished: " + book.done() + " trials told");
      ended.countDown();
    }
  }

  @Override
  public void requireActive() {
    if (isTerminal() || cancelled) {
      throw new SearchFinishedException(
          "Search "
              + searchId
              + " is "
              + record.current().getState().name().replace("SEARCH_STATE_", "")
              + (cancelled ? " (cancelled)" : "")
              + "; it takes no more trials");
    }
    if (stopping) {
      throw new NotReadyException("The coordinator is shutting down; retry after it restarts");
    }
    if (!ready) {
      throw new NotReadyException(
          "Search " + searchId + " is resuming from its last checkpoint; retry");
    }
  }

  @Override
  public void flushPending() {
    record.flushPending();
  }

  // ---- the end ----

  private boolean isTerminal() {
    return SearchStates.isTerminal(record.current().getState());
  }

  /** Stores the results and the terminal state. Holds the lock. */
  private void finish(SearchState state, String message) {
    List<Candidate> ranked =
        record.durably(
            () ->
                results.putFinal(
                    record.current(),
                    validated,
                    summary != null ? summary.top() : book.completed()));
    boolean surrogate = evaluator() == Evaluator.EVALUATOR_SURROGATE;
    record.update(
        s -> {
          s.setState(state).setError("");
          SearchProgress.Builder p = s.getProgress().toBuilder();
          if (surrogate) {
            p.setGroundTruthQueries(p.getGroundTruthQueries() + ranked.size());
          } else {
            trials.progress(p);
            p.setTrialsPending(
                state == SearchState.SEARCH_STATE_SUCCEEDED ? 0 : book.pending().size());
          }
          s.setProgress(p);
        },
        message);
  }

  /** Stores a surrogate-scored search's checkpoint and progress, in one transaction. */
  private void checkpoint(
      ScoredSummary.Delta delta,
      byte[] state,
      Consumer<SearchProgress.Builder> progress,
      String message) {
    record.checkpoint(
        s -> {
          SearchProgress.Builder p = s.getProgress().toBuilder();
          progress.accept(p);
          s.setProgress(p);
        },
        delta.added(),
        delta.removed(),
        List.of(),
        state,
        message);
  }

  /**
   * Stores new results, what changed in the trial book with the designer's snapshot, and the
   * search, in one transaction.
   */
  @Override
  public void checkpoint(
      List<ScoredCandidate> newResults, Consumer<SearchProgress.Builder> progress, String message) {
    TrialBook.Saved saved = book.save(designer.snapshot());
    record.checkpoint(
        s -> {
          SearchProgress.Builder p = s.getProgress().toBuilder();
          progress.accept(p);
          s.setProgress(p);
        },
        newResults,
        saved.records(),
        saved.state(),
        message);
  }
}
