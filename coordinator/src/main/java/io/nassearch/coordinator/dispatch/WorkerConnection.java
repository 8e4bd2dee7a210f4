package io.nassearch.coordinator.dispatch;

import io.grpc.stub.ServerCallStreamObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One connected worker stream. Its mutable state is guarded by the owning {@link Dispatcher}'s lock;
 * messages are written only under that lock, which serialises writes to the (not thread-safe) observer.
 */
public final class WorkerConnection {
  final String workerId;
  final String device;
  final int maxBatchRows;
  final boolean acceptsCodedRows;
  final ServerCallStreamObserver<CoordinatorMessage> out;

  int credits;
  final Set<String> inFlight = new LinkedHashSet<>();
  final Set<String> loadedModels = new HashSet<>();
  long completed;
  volatile long lastSeenNanos = System.nanoTime();
  boolean closed;

  WorkerConnection(
      String workerId, String device, int maxBatchRows, boolean acceptsCodedRows,
      ServerCallStreamObserver<CoordinatorMessage> out) {
    this.workerId = workerId;
    this.device = device;
    this.maxBatchRows = maxBatchRows;
    this.acceptsCodedRows = acceptsCodedRows;
    this.out = out;
  }

  public String workerId() {
    return workerId;
  }

  public String device() {
    return device;
  }

  void send(CoordinatorMessage message) {
    out.onNext(message);
  }

  boolean canTake(WorkItem item) {
    return !closed && credits > 0 && out.isReady() && (item.kind != WorkItem.Kind.SCORE || item.rows <= maxBatchRows);
  }
}
