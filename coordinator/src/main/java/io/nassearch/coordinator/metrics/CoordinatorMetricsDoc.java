package io.nassearch.coordinator.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * Every meter the coordinator registers (besides JVM, process and gRPC server meters): Micrometer
 * name, type, description and tag keys. The Prometheus name is the Micrometer name with dots as
 * underscores, plus {@code _total} for counters, {@code _seconds} for timers and the base unit
 * where one is set.
 */
public enum CoordinatorMetricsDoc {
  QUEUE_DEPTH(
      "nas.dispatcher.queue.depth",
      Meter.Type.GAUGE,
      null,
      "Work items (score batches and training jobs) waiting for a worker credit."),
  IN_FLIGHT(
      "nas.dispatcher.batches.in.flight",
      Meter.Type.GAUGE,
      null,
      "Work items sent to a worker and not yet answered."),
  WORKERS_CONNECTED(
      "nas.workers.connected", Meter.Type.GAUGE, null, "Worker streams connected (after Hello)."),
  WORKER_CREDITS(
      "nas.dispatcher.worker.credits",
      Meter.Type.GAUGE,
      null,
      "Credits a worker granted that are not used yet.",
      Tag.WORKER),
  DISPATCHED(
      "nas.dispatcher.batches.dispatched",
      Meter.Type.COUNTER,
      null,
      "Work items written to a worker stream, redeliveries included.",
      Tag.KIND),
  ROUND_TRIP(
      "nas.dispatcher.batch.round.trip",
      Meter.Type.TIMER,
      null,
      "Time from writing a score batch to a worker until its first result arrives (histogram)."),
  REDELIVERIES(
      "nas.dispatcher.redeliveries",
      Meter.Type.COUNTER,
      null,
      "Work items queued again after a deadline passed or their worker left."),
  DUPLICATES_DROPPED(
      "nas.dispatcher.duplicates.dropped",
      Meter.Type.COUNTER,
      null,
      "Late results for work that another worker already finished; dropped, never applied."),
  MODELS_SHIPPED(
      "nas.dispatcher.models.shipped",
      Meter.Type.COUNTER,
      null,
      "LoadModel messages sent (once per model and worker stream)."),
  FORGERIES(
      "nas.dispatcher.forgeries",
      Meter.Type.COUNTER,
      null,
      "Results, models or failures a worker stream sent for work it does not hold; dropped and counted as the sender's fault.",
      Tag.MESSAGE),
  RESULTS_REJECTED(
      "nas.dispatcher.results.rejected",
      Meter.Type.COUNTER,
      null,
      "Answers from the worker holding the work that failed a check; the work goes to another worker.",
      Tag.REASON),
  DEADLINE_MISSES(
      "nas.dispatcher.deadline.misses",
      Meter.Type.COUNTER,
      null,
      "Deliveries whose deadline (scaled to the work's rows and epochs) passed without an answer.",
      Tag.KIND),
  WORKERS_QUARANTINED(
      "nas.dispatcher.workers.quarantined",
      Meter.Type.COUNTER,
      null,
      "Workers disconnected and refused for a while after repeated faults (forged or invalid answers)."),
  BACKUP_COPIES(
      "nas.dispatcher.backup.copies",
      Meter.Type.COUNTER,
      null,
      "Extra copies of a work item sent to an idle worker because only workers without a record of finishing held it."),
  CANDIDATES_SCORED(
      "nas.candidates.scored",
      Meter.Type.COUNTER,
      null,
      "Architectures scored by the surrogate, counted at the first result of each batch, by the worker that scored them.",
      Tag.WORKER),
  CANDIDATES_PROPOSED(
      "nas.candidates.proposed",
      Meter.Type.COUNTER,
      null,
      "Architectures proposed by search algorithms, repeats included (all searches)."),
  GROUND_TRUTH_QUERIES(
      "nas.ground.truth.queries",
      Meter.Type.COUNTER,
      null,
      "Benchmark-table lookups: training sets plus top-k verification (all searches)."),
  TRAINING_DURATION(
      "nas.training.duration",
      Meter.Type.TIMER,
      null,
      "Surrogate training jobs: time from dispatch to result (histogram; its count is the number of jobs)."),
  SEARCHES(
      "nas.searches",
      Meter.Type.GAUGE,
      null,
      "Searches created since start, by current state.",
      Tag.STATE),
  SEARCH_CANDIDATES_SCORED(
      "nas.search.candidates.scored",
      Meter.Type.COUNTER,
      null,
      "Distinct architectures one search has scored.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_CANDIDATES_PROPOSED(
      "nas.search.candidates.proposed",
      Meter.Type.COUNTER,
      null,
      "Architectures one search's algorithm proposed, repeats included.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_CANDIDATE_BUDGET(
      "nas.search.candidate.budget",
      Meter.Type.GAUGE,
      null,
      "The search's candidate budget.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_PROGRESS(
      "nas.search.progress",
      Meter.Type.GAUGE,
      "ratio",
      "Candidates scored divided by the candidate budget (0 to 1); for predictor_guided searches trials told divided by the query budget.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_BEST_PREDICTED(
      "nas.search.best.predicted.score",
      Meter.Type.GAUGE,
      null,
      "Highest surrogate score so far (unitless; comparable only within one search).",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_GROUND_TRUTH(
      "nas.search.ground.truth.queries",
      Meter.Type.GAUGE,
      null,
      "Benchmark-table lookups one search made.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_BEST_TRUE(
      "nas.search.best.true.objective",
      Meter.Type.GAUGE,
      null,
      "Best true objective among the verified top-k, in the table's unit (percent accuracy for nb201); NaN until verified.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_BEST_REGRET(
      "nas.search.best.objective.regret",
      Meter.Type.GAUGE,
      null,
      "Table optimum minus the best verified true objective (percentage points for nb201); NaN until verified.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_TRIALS_TOLD(
      "nas.search.trials.told",
      Meter.Type.COUNTER,
      null,
      "predictor_guided: ground-truth trials told (completed or failed), by the benchmark table or by ask/tell clients.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_TRIALS_PENDING(
      "nas.search.trials.pending",
      Meter.Type.GAUGE,
      null,
      "predictor_guided: trials handed out by AskTrials and not told yet.",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_TRIALS_STOPPED(
      "nas.search.trials.stopped",
      Meter.Type.COUNTER,
      null,
      "Evaluator CLIENT: trials stopped early by the search's early-stopping rule (ReportMeasurement).",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_STEPS_SAVED(
      "nas.search.steps.saved",
      Meter.Type.COUNTER,
      null,
      "Evaluator CLIENT: training steps not run because trials stopped early (per stopped trial, the largest step a completed trial reported minus the step it stopped at).",
      Tag.SEARCH,
      Tag.ALGORITHM),
  SEARCH_SURROGATE_RETRAINS(
      "nas.search.surrogate.retrains",
      Meter.Type.COUNTER,
      null,
      "predictor_guided: surrogate ensembles trained on the results told so far.",
      Tag.SEARCH,
      Tag.ALGORITHM);

  /** Tag keys with their closed value sets. */
  public enum Tag {
    WORKER(
        "worker",
        "id of a connected worker (at most Limits.maxWorkers at once; removed when it leaves)"),
    KIND("kind", "score | train"),
    MESSAGE("message", "score_result | train_result | failure"),
    REASON("reason", "length | wrong_kind | non_finite | magnitude | model_format | model_probe"),
    STATE("state", "pending | training | running | succeeded | failed | cancelled"),
    SEARCH(
        "search",
        "search id: unfinished searches (at most Limits.maxConcurrentSearches) plus that many most recently finished"),
    ALGORITHM(
        "algorithm",
        "a registered algorithm name (random, regularized_evolution, local_search, ...)");

    private final String key;
    private final String values;

    Tag(String key, String values) {
      this.key = key;
      this.values = values;
    }

    public String key() {
      return key;
    }

    public String valueSet() {
      return values;
    }
  }

  private final String name;
  private final Meter.Type type;
  private final String baseUnit;
  private final String description;
  private final List<Tag> tags;

  CoordinatorMetricsDoc(
      String name, Meter.Type type, String baseUnit, String description, Tag... tags) {
    this.name = name;
    this.type = type;
    this.baseUnit = baseUnit;
    this.description = description;
    this.tags = List.of(tags);
  }

  public String metricName() {
    return name;
  }

  public Meter.Type type() {
    return type;
  }

  /** The base unit appended to the Prometheus name, or null. */
  public String baseUnit() {
    return baseUnit;
  }

  public String description() {
    return description;
  }

  public List<Tag> tags() {
    return tags;
  }
}
