package io.nassearch.coordinator.dispatch;

/**
 * Dispatcher events for metrics; called under the dispatcher lock, so implementations must be
 * cheap.
 */
public interface DispatchListener {
  DispatchListener NONE = new DispatchListener() {};

  /** Message kinds a forgery can have ({@link #forgeryDropped}). */
  String SCORE_RESULT = "score_result";

  String TRAIN_RESULT = "train_result";
  String FAILURE = "failure";

  /** Reasons a result is rejected ({@link #resultRejected}). */
  String LENGTH = "length";

  String WRONG_KIND = "wrong_kind";
  String NON_FINITE = "non_finite";
  String MAGNITUDE = "magnitude";
  String MODEL_FORMAT = "model_format";
  String MODEL_PROBE = "model_probe";

  default void queueChanged(int queued, int inFlight) {}

  default void workersChanged(int connected) {}

  default void creditsChanged(String workerId, int credits) {}

  /**
   * The worker's stream ended; its per-worker meters may go. Called after its last creditsChanged.
   */
  default void workerLeft(String workerId) {}

  default void dispatched(boolean score, boolean redelivery) {}

  default void completed(boolean score, int rows, long roundTripNanos, String workerId) {}

  default void redelivered() {}

  default void duplicateDropped() {}

  default void modelShipped(String workerId) {}

  /**
   * A result, model or failure for work the sending stream does not hold; {@code message} is one of
   * the kinds above.
   */
  default void forgeryDropped(String message) {}

  /**
   * A result from the stream that holds the work, rejected; {@code reason} is one of the reasons
   * above.
   */
  default void resultRejected(String reason) {}

  default void deadlineMissed(boolean score) {}

  /** A worker reached the fault limit: disconnected and refused for a while. */
  default void workerQuarantined(String workerId) {}

  /**
   * An extra copy of an item went to an idle worker because no holder of it has a record of
   * finishing.
   */
  default void backupDispatched() {}
}
