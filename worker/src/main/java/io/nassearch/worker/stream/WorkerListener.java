package io.nassearch.worker.stream;

/** Worker events for metrics and tests; implementations must be cheap and thread-safe. */
public interface WorkerListener {
  WorkerListener NONE = new WorkerListener() {};

  default void connected() {}

  default void disconnected() {}

  default void reconnecting() {}

  default void modelLoaded() {}

  default void batchScored(int rows, long nanos) {}

  default void trained(long nanos) {}
}
