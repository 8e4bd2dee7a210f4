package io.nassearch.coordinator.dispatch;

import io.grpc.Status;
import io.nassearch.api.v1.CancelWork;
import io.nassearch.api.v1.CoordinatorMessage;
import java.util.ArrayList;
import javax.annotation.concurrent.GuardedBy;

/** How a work item ends or goes back to the queue: finish, fail, withdraw, reschedule. */
final class ItemLifecycle {
  private final DispatchState s;

  ItemLifecycle(DispatchState s) {
    this.s = s;
  }

  /**
   * Worker failures end an item when they cannot be routed around: two workers, one with a record,
   * failed it, or no connected worker without overdue work is left to try. Workers without a record
   * alone cannot fail an item while another worker may still take it.
   */
  @GuardedBy("s.lock")
  boolean shouldFailLocked(WorkItem item) {
    if (!item.holders.isEmpty() || item.probe != null) {
      return false;
    }
    if (item.failures.size() >= 2
        && item.failures.keySet().stream().anyMatch(WorkerRecord::proven)) {
      return true;
    }
    for (WorkerConnection w : s.workers.values()) {
      if (s.assignment.couldTake(w, item)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Removes a finished item, cancels its other copies and charges faults its completion
   * contradicts.
   */
  @GuardedBy("s.lock")
  void finishLocked(WorkItem item, WorkerRecord by) {
    s.pending.remove(item.id);
    withdrawLocked(item);
    for (WorkerRecord r : item.invalid) {
      if (r != by) {
        s.sessions.faultLocked(
            r, "sent invalid scores for " + item.id + ", which another worker scored");
      }
    }
  }

  /** Fails an item (a probe's failure rejects the model it checked instead). */
  @GuardedBy("s.lock")
  void failLocked(WorkItem item, Status status) {
    s.pending.remove(item.id);
    withdrawLocked(item);
    if (item.probeOf == null) {
      s.deferred.add(() -> item.result.completeExceptionally(status.asRuntimeException()));
      return;
    }
    WorkItem train = item.probeOf;
    WorkItem.Candidate candidate = train.candidate;
    train.probe = null;
    train.candidate = null;
    if (train.done()) {
      return;
    }
    s.rejected++;
    s.listener.resultRejected(DispatchListener.MODEL_PROBE);
    train.avoid.add(candidate.trainer());
    s.sessions.faultLocked(
        candidate.trainer(),
        "sent a model for " + train.id + " that failed its probe: " + status.getDescription());
    WorkItem.Candidate spare = train.spares.poll();
    if (spare != null) {
      s.answers.probeLocked(train, spare);
    } else {
      rescheduleLocked(train);
    }
  }

  /** Takes an item out of the queue and off every stream that holds it (telling those streams). */
  @GuardedBy("s.lock")
  void withdrawLocked(WorkItem item) {
    if (item.queued) {
      s.queue.remove(item);
      item.queued = false;
    }
    for (WorkerConnection w : new ArrayList<>(item.holders.keySet())) {
      w.inFlight.remove(item.id);
      cancelOnLocked(w, item);
    }
    for (WorkerConnection w : new ArrayList<>(item.late.keySet())) {
      w.late.remove(item.id);
      if (w.late.isEmpty()) {
        w.lateSinceNanos = 0;
      }
      cancelOnLocked(w, item);
    }
    item.holders.clear();
    item.late.clear();
    if (item.probe != null) {
      WorkItem probe = item.probe;
      item.probe = null;
      s.pending.remove(probe.id);
      withdrawLocked(probe);
    }
    if (item.probeOf != null) {
      s.unloadLocked(item.modelId);
      s.models.remove(item.modelId);
    }
  }

  @GuardedBy("s.lock")
  void cancelOnLocked(WorkerConnection w, WorkItem item) {
    w.remember(item.id);
    if (!w.closed) {
      w.send(
          CoordinatorMessage.newBuilder()
              .setCancel(CancelWork.newBuilder().setWorkId(item.id))
              .build());
    }
  }

  /** Queues an item that nobody holds within its deadline any more, or gives up on it. */
  @GuardedBy("s.lock")
  void rescheduleLocked(WorkItem item) {
    if (item.done()
        || item.queued
        || item.probe != null
        || !item.holders.isEmpty()
        || !s.pending.containsKey(item.id)) {
      return;
    }
    if (item.misses >= s.config.maxAttempts() || item.queueDeliveries >= s.config.maxDeliveries()) {
      String why =
          item.misses >= s.config.maxAttempts()
              ? item.misses
                  + " deliveries to workers with a record of finishing ended without an answer"
              : "it was sent " + item.queueDeliveries + " times";
      failLocked(
          item,
          item.failures.isEmpty()
              ? Status.UNAVAILABLE.withDescription("Gave up on " + item.id + ": " + why)
              : item.failures.values().iterator().next());
      return;
    }
    s.redeliveries++;
    s.listener.redelivered();
    s.queue.addFirst(item);
    item.queued = true;
  }
}
