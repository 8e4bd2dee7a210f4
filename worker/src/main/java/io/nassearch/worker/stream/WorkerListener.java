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

  /** The credit window (items the coordinator may have outstanding here) changed. */
  default void creditWindow(int credits) {}

  /** A listener that tells this one, then {@code next}. */
  default WorkerListener andThen(WorkerListener next) {
    WorkerListener first = this;
    return new WorkerListener() {
      @Override
      public void connected() {
        first.connected();
        next.connected();
      }

      @Override
      public void disconnected() {
        first.disconnected();
        next.disconnected();
      }

      @Override
      public void reconnecting() {
        first.reconnecting();
        next.reconnecting();
      }

      @Override
      public void modelLoaded() {
        first.modelLoaded();
        next.modelLoaded();
      }

      @Override
      public void batchScored(int rows, long nanos) {
        first.batchScored(rows, nanos);
        next.batchScored(rows, nanos);
      }

      @Override
      public void trained(long nanos) {
        first.trained(nanos);
        next.trained(nanos);
      }

      @Override
      public void creditWindow(int credits) {
        first.creditWindow(credits);
        next.creditWindow(credits);
      }
    };
  }
}
