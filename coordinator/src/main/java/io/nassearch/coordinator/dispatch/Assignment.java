package io.nassearch.coordinator.dispatch;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.LoadModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import javax.annotation.concurrent.GuardedBy;

/** Which connected worker gets which queued item, and backup copies for idle workers. */
final class Assignment {
  /**
   * Backup copies of one item stop when their bytes would pass this, but at least two are allowed.
   */
  private static final long BACKUP_BYTES = 64L << 20;

  private final DispatchState s;

  Assignment(DispatchState s) {
    this.s = s;
  }

  @GuardedBy("s.lock")
  void pumpLocked() {
    Iterator<WorkItem> it = s.queue.iterator();
    while (it.hasNext()) {
      WorkItem item = it.next();
      if (item.done()) {
        it.remove();
        item.queued = false;
        continue;
      }
      WorkerConnection target = chooseLocked(item, false);
      if (target == null) {
        if (s.workers.values().stream().anyMatch(WorkerConnection::free)) {
          continue; // This item fits no free worker (too many rows, or only workers it must
          // avoid);
          // later items may.
        }
        break;
      }
      it.remove();
      item.queued = false;
      if (!sendLocked(target, item, false)) {
        it = s.queue.iterator(); // sendLocked failed the item, which may have changed the queue
      }
    }
    backupLocked();
  }

  /**
   * Gives idle workers backup copies of items that only workers without a record have held for a
   * quarter of the deadline, so a worker that takes work and never answers costs a quarter
   * deadline, not a whole one, while someone else is idle. While any connected worker has a record,
   * only such workers get copies.
   */
  @GuardedBy("s.lock")
  void backupLocked() {
    if (s.workers.values().stream().noneMatch(WorkerConnection::free)) {
      return;
    }
    long now = System.nanoTime();
    for (WorkItem item : new ArrayList<>(s.pending.values())) {
      if (item.queued
          || item.done()
          || item.probe != null
          || item.holders.isEmpty()
          || item.holders.keySet().stream().anyMatch(h -> h.record.proven())
          || now - item.holders.values().stream().mapToLong(Long::longValue).min().getAsLong()
              < item.deadlineNanos / 4) {
        continue;
      }
      int allowed = (int) Math.max(2, BACKUP_BYTES / Math.max(1, item.bytes));
      while (item.holders.size() + item.late.size() < allowed) {
        WorkerConnection w = chooseLocked(item, true);
        if (w == null) {
          break;
        }
        sendLocked(w, item, true);
        s.backupCopies++;
        s.listener.backupDispatched();
      }
      if (s.workers.values().stream().noneMatch(WorkerConnection::free)) {
        return;
      }
    }
  }

  /**
   * The worker for {@code item}: free, fitting, not one that failed it or holds it; preferring
   * workers that did not miss it, then workers with a record, then the fewest items in flight, the
   * most credits, the oldest stream. A backup copy goes only to a worker that did not miss it, and
   * only to one with a record while any connected worker has one.
   */
  @GuardedBy("s.lock")
  WorkerConnection chooseLocked(WorkItem item, boolean backup) {
    boolean anyProven = backup && s.workers.values().stream().anyMatch(w -> w.record.proven());
    // A worker that missed or botched the item gets it again only when no other connected worker
    // could take it.
    boolean skipAvoided =
        backup
            || (!item.avoid.isEmpty()
                && s.workers.values().stream()
                    .anyMatch(w -> !item.avoid.contains(w.record) && couldTake(w, item)));
    WorkerConnection best = null;
    for (WorkerConnection w : s.workers.values()) {
      if (!w.free() || !couldTake(w, item)) {
        continue;
      }
      if ((skipAvoided && item.avoid.contains(w.record)) || (anyProven && !w.record.proven())) {
        continue;
      }
      if (best == null || PREFERENCE.compare(new Pick(w, item), new Pick(best, item)) < 0) {
        best = w;
      }
    }
    return best;
  }

  /** Connected, without overdue work, and allowed this item (free or not). */
  @GuardedBy("s.lock")
  boolean couldTake(WorkerConnection w, WorkItem item) {
    return !w.closed
        && w.late.isEmpty()
        && w.fits(item)
        && !item.holders.containsKey(w)
        && !item.late.containsKey(w)
        && !item.failures.containsKey(w.record)
        && mayTake(w, item);
  }

  private record Pick(WorkerConnection w, WorkItem item) {}

  /**
   * Credits break ties only between workers with a record: a new worker cannot win work by granting
   * many.
   */
  static final Comparator<Pick> PREFERENCE =
      Comparator.comparing((Pick p) -> p.item().avoid.contains(p.w().record))
          .thenComparing(p -> !p.w().record.proven())
          .thenComparingInt(p -> p.w().inFlight.size())
          .thenComparing(
              Comparator.comparingInt((Pick p) -> p.w().record.proven() ? p.w().credits : 0)
                  .reversed())
          .thenComparingLong(p -> p.w().sequence);

  /**
   * A probe goes to a worker other than the one whose model it checks, unless no other connected
   * worker has a record.
   */
  @GuardedBy("s.lock")
  boolean mayTake(WorkerConnection w, WorkItem item) {
    if (item.probeOf == null
        || item.probeOf.candidate == null
        || w.record != item.probeOf.candidate.trainer()) {
      return true;
    }
    WorkerRecord trainer = w.record;
    return s.workers.values().stream()
        .noneMatch(o -> o.record != trainer && !o.closed && o.record.proven());
  }

  /** Writes an item to a worker; false when the item failed instead (its model was released). */
  @GuardedBy("s.lock")
  boolean sendLocked(WorkerConnection worker, WorkItem item, boolean backup) {
    if (item.modelId != null && !worker.loadedModels.contains(item.modelId)) {
      if (!s.models.contains(item.modelId)) {
        s.lifecycle.failLocked(
            item,
            Status.FAILED_PRECONDITION.withDescription(
                "Expected model " + item.modelId + " for " + item.id + ", but it was released"));
        return false;
      }
      worker.send(
          CoordinatorMessage.newBuilder()
              .setLoadModel(
                  LoadModel.newBuilder()
                      .setModelId(item.modelId)
                      .setModel(ByteString.copyFrom(s.models.get(item.modelId))))
              .build());
      worker.loadedModels.add(item.modelId);
      s.listener.modelShipped(worker.name);
    }
    item.deliveries++;
    if (!backup) {
      item.queueDeliveries++;
    }
    item.holders.put(worker, System.nanoTime());
    worker.credits--;
    worker.inFlight.put(item.id, item);
    worker.send(item.message.forAttempt(item.deliveries, worker.acceptsCodedRows));
    s.listener.creditsChanged(worker.name, worker.credits);
    s.listener.dispatched(item.kind == WorkItem.Kind.SCORE, item.deliveries > 1);
    return true;
  }
}
