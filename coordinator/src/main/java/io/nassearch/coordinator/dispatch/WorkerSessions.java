package io.nassearch.coordinator.dispatch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.annotation.concurrent.GuardedBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Worker streams: registration, credits, faults and quarantine, deadlines, disconnection. */
final class WorkerSessions {
  private static final Logger log = LoggerFactory.getLogger(WorkerSessions.class);

  private final DispatchState s;

  WorkerSessions(DispatchState s) {
    this.s = s;
  }

  /**
   * Registers a worker stream after its Hello. A stream with the id and credential of a connected
   * one replaces it (its work goes back to the queue); the same id with another credential is a
   * different worker. Throws PERMISSION_DENIED while the worker is quarantined and
   * RESOURCE_EXHAUSTED when {@code maxWorkers} streams are connected.
   */
  WorkerConnection register(
      Hello hello,
      String credential,
      int maxWorkers,
      ServerCallStreamObserver<CoordinatorMessage> out) {
    String workerId = hello.getWorkerId();
    String key = credential + " " + workerId;
    WorkerConnection connection;
    synchronized (s.lock) {
      long now = System.nanoTime();
      WorkerRecord record = s.records.computeIfAbsent(key, k -> new WorkerRecord(k, workerId));
      if (record.quarantined(now)) {
        throw Status.PERMISSION_DENIED
            .withDescription(
                "Expected worker '"
                    + LogSafe.escape(workerId)
                    + "' to stay away while quarantined ("
                    + TimeUnit.NANOSECONDS.toSeconds(record.quarantinedUntilNanos - now)
                    + " s left), but it reconnected")
            .asRuntimeException();
      }
      WorkerConnection previous = s.workers.get(key);
      if (s.workers.size() - (previous == null ? 0 : 1) >= maxWorkers) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "Expected at most " + maxWorkers + " workers, but one more tried to connect")
            .asRuntimeException();
      }
      if (previous != null) {
        closeLocked(
            previous,
            "replaced by a new stream with the same id and credential",
            Status.ABORTED.withDescription(
                "Another stream with this worker id and credential replaced this one"));
      }
      boolean shared = s.workers.values().stream().anyMatch(w -> w.workerId.equals(workerId));
      String name =
          LogSafe.escape(workerId)
              + (shared ? "@" + credential.substring(0, Math.min(8, credential.length())) : "");
      connection =
          new WorkerConnection(
              workerId,
              name,
              hello.getDevice(),
              hello.getMaxBatchRows(),
              hello.getAcceptsCodedRows(),
              record,
              ++s.sequence,
              out);
      s.workers.put(key, connection);
      s.listener.workersChanged(s.workers.size());
    }
    s.runDeferred();
    log.info(
        "Worker {} connected (device {}, max batch rows {}, {})",
        connection.name,
        LogSafe.escape(hello.getDevice()),
        hello.getMaxBatchRows(),
        connection.record.proven() ? "has a record" : "new");
    return connection;
  }

  void grantCredits(WorkerConnection worker, int credits) {
    synchronized (s.lock) {
      worker.lastSeenNanos = System.nanoTime();
      if (worker.closed) {
        return;
      }
      worker.credits = (int) Math.min(Integer.MAX_VALUE, (long) worker.credits + credits);
      s.listener.creditsChanged(worker.name, worker.credits);
      s.assignment.pumpLocked();
    }
    s.runDeferred();
  }

  @GuardedBy("s.lock")
  void faultLocked(WorkerRecord record, String why) {
    record.faults++;
    log.warn(
        "Worker {} {} (fault {} of {})",
        LogSafe.escape(record.workerId),
        why,
        record.faults,
        s.config.quarantineAfter());
    long now = System.nanoTime();
    if (record.faults < s.config.quarantineAfter() || record.quarantined(now)) {
      return;
    }
    record.faults = 0;
    record.quarantinedOnce = true;
    record.quarantinedUntilNanos = now + s.config.quarantineFor().toNanos();
    s.quarantines++;
    s.listener.workerQuarantined(LogSafe.escape(record.workerId));
    log.warn(
        "Worker {} quarantined for {} after {} faults",
        LogSafe.escape(record.workerId),
        s.config.quarantineFor(),
        s.config.quarantineAfter());
    WorkerConnection w = s.workers.get(record.key);
    if (w != null) {
      closeLocked(
          w,
          "quarantined",
          Status.PERMISSION_DENIED.withDescription(
              "Expected valid results for work this worker holds, but it sent "
                  + s.config.quarantineAfter()
                  + " forged or invalid ones; quarantined for "
                  + s.config.quarantineFor().toSeconds()
                  + " s"));
    }
  }

  /** Unregisters a stream and ends it with {@code status} once the s.lock is released. */
  @GuardedBy("s.lock")
  void closeLocked(WorkerConnection w, String reason, Status status) {
    if (w.closed) {
      return;
    }
    unregisterLocked(w, reason);
    s.deferred.add(
        () -> {
          try {
            w.out.onError(status.asRuntimeException());
          } catch (RuntimeException ignored) {
            // The stream may already be gone.
          }
        });
  }

  @GuardedBy("s.lock")
  void unregisterLocked(WorkerConnection worker, String reason) {
    if (worker.closed) {
      return;
    }
    worker.closed = true;
    s.workers.remove(worker.record.key, worker);
    List<WorkItem> back = new ArrayList<>(worker.inFlight.values());
    for (WorkItem item : back) {
      item.holders.remove(worker);
      if (worker.record.proven()) {
        item.misses++;
      }
    }
    for (WorkItem item : worker.late.values()) {
      item.late.remove(worker);
    }
    worker.inFlight.clear();
    worker.late.clear();
    back.sort(Comparator.comparingLong((WorkItem i) -> i.enqueuedNanos).reversed());
    for (WorkItem item : back) {
      s.lifecycle.rescheduleLocked(item);
    }
    s.listener.workersChanged(s.workers.size());
    s.listener.creditsChanged(worker.name, 0);
    s.listener.workerLeft(worker.name);
    log.info(
        "Worker {} disconnected ({}); {} item(s) back in the queue",
        worker.name,
        reason,
        back.size());
    // Failures that were waiting for someone else to try may now be final.
    for (WorkItem item : new ArrayList<>(s.pending.values())) {
      if (!item.failures.isEmpty()
          && !item.done()
          && item.holders.isEmpty()
          && s.lifecycle.shouldFailLocked(item)) {
        s.lifecycle.failLocked(item, item.failures.values().iterator().next());
      }
    }
    s.assignment.pumpLocked();
    s.queueChangedLocked();
  }

  void checkTimeouts() {
    try {
      synchronized (s.lock) {
        long now = System.nanoTime();
        boolean changed = false;
        for (WorkerConnection w : new ArrayList<>(s.workers.values())) {
          for (WorkItem item : new ArrayList<>(w.inFlight.values())) {
            Long sent = item.holders.get(w);
            if (sent != null && now - sent - item.deadlineNanos > 0) {
              missLocked(w, item, sent);
              changed = true;
            }
          }
        }
        long timeout = s.config.workerTimeout().toNanos();
        for (WorkerConnection w : new ArrayList<>(s.workers.values())) {
          if (now - w.lastSeenNanos > timeout) {
            log.warn(
                "Worker {} sent nothing for {}; dropping it", w.name, s.config.workerTimeout());
            closeLocked(w, "silent", Status.DEADLINE_EXCEEDED.withDescription("No heartbeat"));
          } else if (!w.late.isEmpty() && now - w.lateSinceNanos > timeout) {
            log.warn(
                "Worker {} held {} past its deadline for over {}; dropping it",
                w.name,
                w.late.keySet().iterator().next(),
                s.config.workerTimeout());
            closeLocked(
                w,
                "overdue",
                Status.DEADLINE_EXCEEDED.withDescription(
                    "Expected an answer for work past its deadline, but none came"));
          }
        }
        if (changed) {
          s.assignment.pumpLocked();
          s.queueChangedLocked();
        } else {
          s.assignment.backupLocked();
        }
      }
      s.runDeferred();
    } catch (RuntimeException e) {
      log.error("Expected to check dispatch deadlines, but failed", e);
    }
  }

  /**
   * A delivery passed its deadline: the worker keeps the credit and gets nothing new until it
   * answers.
   */
  @GuardedBy("s.lock")
  void missLocked(WorkerConnection w, WorkItem item, long sent) {
    w.inFlight.remove(item.id);
    item.holders.remove(w);
    if (w.late.isEmpty()) {
      w.lateSinceNanos = System.nanoTime();
    }
    w.late.put(item.id, item);
    item.late.put(w, sent);
    item.avoid.add(w.record);
    w.record.misses++;
    if (w.record.proven()) {
      item.misses++;
    }
    s.listener.deadlineMissed(item.kind == WorkItem.Kind.SCORE);
    log.debug("Worker {} missed the deadline of {}", w.name, item.id);
    s.lifecycle.rescheduleLocked(item);
  }
}
