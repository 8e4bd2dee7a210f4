package io.nassearch.coordinator.dispatch;

import io.grpc.stub.ServerCallStreamObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One connected worker stream. Its mutable state is guarded by the owning {@link Dispatcher}'s
 * lock; messages are written only under that lock, which serialises writes to the (not thread-safe)
 * observer.
 */
public final class WorkerConnection {
  /**
   * Ids of items this stream was sent but no longer holds that are remembered, so answers are
   * duplicates, not forgeries.
   */
  static final int MAX_REMEMBERED = 4096;

  final String workerId;

  /**
   * The id in logs and metric tags: the worker id, plus a credential prefix if another credential
   * uses the same id.
   */
  final String name;

  final String device;
  final int maxBatchRows;
  final boolean acceptsCodedRows;
  final WorkerRecord record;
  final long sequence;
  final ServerCallStreamObserver<CoordinatorMessage> out;

  int credits;

  /** Items sent to this stream whose deadline has not passed. */
  final Map<String, WorkItem> inFlight = new LinkedHashMap<>();

  /**
   * Items sent to this stream whose deadline passed without an answer; while any, it gets no new
   * work.
   */
  final Map<String, WorkItem> late = new LinkedHashMap<>();

  long lateSinceNanos;
  final Set<String> released = new LinkedHashSet<>();
  final Set<String> loadedModels = new HashSet<>();
  long completed;
  volatile long lastSeenNanos = System.nanoTime();
  boolean closed;

  WorkerConnection(
      String workerId,
      String name,
      String device,
      int maxBatchRows,
      boolean acceptsCodedRows,
      WorkerRecord record,
      long sequence,
      ServerCallStreamObserver<CoordinatorMessage> out) {
    this.workerId = workerId;
    this.name = name;
    this.device = device;
    this.maxBatchRows = maxBatchRows;
    this.acceptsCodedRows = acceptsCodedRows;
    this.record = record;
    this.sequence = sequence;
    this.out = out;
  }

  public String workerId() {
    return workerId;
  }

  /** The id as logs and metrics show it (already escaped). */
  public String name() {
    return name;
  }

  public String device() {
    return device;
  }

  void send(CoordinatorMessage message) {
    out.onNext(message);
  }

  void remember(String itemId) {
    released.add(itemId);
    if (released.size() > MAX_REMEMBERED) {
      released.remove(released.iterator().next());
    }
  }

  /**
   * Has a credit, a writable stream, nothing overdue, and room: a worker without a record holds one
   * item at a time.
   */
  boolean free() {
    return !closed
        && credits > 0
        && out.isReady()
        && late.isEmpty()
        && (record.proven() || inFlight.isEmpty());
  }

  boolean fits(WorkItem item) {
    return item.kind != WorkItem.Kind.SCORE || item.rows <= maxBatchRows;
  }
}
