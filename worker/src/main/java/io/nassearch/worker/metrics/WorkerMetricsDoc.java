package io.nassearch.worker.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * Every meter the worker registers (besides JVM and process meters): Micrometer name, type,
 * description and tag keys. All of the worker's meters, JVM ones included, also carry the common
 * tags {@code role=worker}, {@code worker} (this worker's id) and {@code device}.
 */
public enum WorkerMetricsDoc {
  BATCHES_SCORED(
      "nas.worker.batches.scored", Meter.Type.COUNTER, "Score batches this worker finished."),
  CANDIDATES_SCORED(
      "nas.worker.candidates.scored",
      Meter.Type.COUNTER,
      "Architectures (rows) this worker scored."),
  BATCH_SCORE(
      "nas.worker.batch.score",
      Meter.Type.TIMER,
      "Time to score one batch with the loaded surrogate (histogram)."),
  BATCH_SIZE(
      "nas.worker.batch.size",
      Meter.Type.DISTRIBUTION_SUMMARY,
      "Rows per score batch (histogram)."),
  TRAINING_DURATION(
      "nas.worker.training.duration",
      Meter.Type.TIMER,
      "Time to train one surrogate, all epochs (histogram; its count is the number of jobs)."),
  MODELS_LOADED(
      "nas.worker.models.loaded",
      Meter.Type.COUNTER,
      "Surrogate models loaded from LoadModel messages."),
  RECONNECTS(
      "nas.worker.reconnects",
      Meter.Type.COUNTER,
      "Times the worker dialled its coordinator again after losing the stream."),
  CONNECTED(
      "nas.worker.connected",
      Meter.Type.GAUGE,
      "1 while the coordinator has welcomed this worker's stream, else 0."),
  CREDIT_WINDOW(
      "nas.worker.credit.window",
      Meter.Type.GAUGE,
      "Work items the coordinator may have outstanding on this worker, sized from measured refill latency and compute time.");

  /** Common tags on every worker meter, with their closed value sets. */
  public enum Tag {
    ROLE("role", "worker"),
    WORKER("worker", "this process's worker id (one value per process)"),
    DEVICE("device", "cpu | gpu");

    private final String key;
    private final String valueSet;

    Tag(String key, String valueSet) {
      this.key = key;
      this.valueSet = valueSet;
    }

    public String key() {
      return key;
    }

    public String valueSet() {
      return valueSet;
    }
  }

  private final String name;
  private final Meter.Type type;
  private final String description;

  WorkerMetricsDoc(String name, Meter.Type type, String description) {
    this.name = name;
    this.type = type;
    this.description = description;
  }

  public String metricName() {
    return name;
  }

  public Meter.Type type() {
    return type;
  }

  public String description() {
    return description;
  }

  /** Tag keys: the common tags only. */
  public List<Tag> tags() {
    return List.of(Tag.values());
  }
}
