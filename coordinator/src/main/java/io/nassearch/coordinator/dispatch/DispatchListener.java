package io.nassearch.coordinator.dispatch;

/** Dispatcher events for metrics; called under the dispatcher lock, so implementations must be cheap. */
public interface DispatchListener {
  DispatchListener NONE = new DispatchListener() {};

  default void queueChanged(int queued, int inFlight) {}

  default void workersChanged(int connected) {}

  default void creditsChanged(String workerId, int credits) {}

  /** The worker's stream ended; its per-worker meters may go. Called after its last creditsChanged. */
  default void workerLeft(String workerId) {}

  default void dispatched(boolean score, boolean redelivery) {}

  default void completed(boolean score, int rows, long roundTripNanos, String workerId) {}

  default void redelivered() {}

  default void duplicateDropped() {}

  default void modelShipped(String workerId) {}
}
