package io.nassearch.coordinator.dispatch;

import io.grpc.Status;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.WorkFailure;
import java.util.EnumSet;
import java.util.Set;
import javax.annotation.concurrent.GuardedBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a worker's answer for a work item: drops duplicates and forgeries, rejects answers that
 * fail their checks, probes trained models, completes items.
 */
final class AnswerHandler {
  private static final Set<Status.Code> PASSED_THROUGH =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNIMPLEMENTED,
          Status.Code.UNAVAILABLE);
  private static final Logger log = LoggerFactory.getLogger(AnswerHandler.class);

  private final DispatchState s;

  AnswerHandler(DispatchState s) {
    this.s = s;
  }

  @GuardedBy("s.lock")
  void answerLocked(WorkerConnection worker, String workId, String kind, Object message) {
    WorkItem item = worker.inFlight.remove(workId);
    Long sent = item == null ? null : item.holders.remove(worker);
    if (item == null) {
      item = worker.late.remove(workId);
      sent = item == null ? null : item.late.remove(worker);
      if (worker.late.isEmpty()) {
        worker.lateSinceNanos = 0;
      }
    }
    if (item != null) {
      worker.remember(workId); // a second answer from this stream is a duplicate, not a forgery
    } else {
      if (worker.released.contains(workId)) {
        duplicateLocked(worker, workId);
      } else {
        forgeryLocked(worker, workId, kind);
      }
      return;
    }
    if (item.done()) {
      duplicateLocked(worker, workId);
      return;
    }
    long sentNanos = sent == null ? System.nanoTime() : sent;
    boolean expected =
        kind.equals(DispatchListener.FAILURE)
            || kind.equals(
                item.kind == WorkItem.Kind.SCORE
                    ? DispatchListener.SCORE_RESULT
                    : DispatchListener.TRAIN_RESULT);
    if (!expected) {
      rejectLocked(
          item,
          worker,
          DispatchListener.WRONG_KIND,
          "sent a " + kind + " for " + item.id + ", which is a " + item.kind,
          true);
    } else if (message instanceof WorkFailure failure) {
      failedLocked(item, worker, failure);
    } else if (message instanceof ScoreResult result) {
      String problem = AnswerChecks.scoreProblem(result, item.rows, s.config.maxAbsScore());
      if (problem == null) {
        succeedLocked(item, worker, AnswerChecks.toScores(result), sentNanos);
      } else {
        rejectLocked(
            item,
            worker,
            problem,
            AnswerChecks.describe(problem, result, item, s.config.maxAbsScore()),
            problem.equals(DispatchListener.LENGTH));
      }
    } else {
      trainedLocked(item, worker, (TrainResult) message, sentNanos);
    }
  }

  @GuardedBy("s.lock")
  void duplicateLocked(WorkerConnection worker, String workId) {
    s.duplicatesDropped++;
    s.listener.duplicateDropped();
    log.debug("Dropped a late answer for {} from worker {}", LogSafe.escape(workId), worker.name);
  }

  @GuardedBy("s.lock")
  void forgeryLocked(WorkerConnection worker, String workId, String kind) {
    s.forgeries++;
    s.listener.forgeryDropped(kind);
    s.sessions.faultLocked(
        worker.record,
        "sent a " + kind + " for '" + LogSafe.escape(workId) + "', which it does not hold");
  }

  /**
   * An invalid answer from a holder: the item goes elsewhere; the fault counts now or once another
   * worker completes the item.
   */
  @GuardedBy("s.lock")
  void rejectLocked(
      WorkItem item, WorkerConnection worker, String reason, String why, boolean faultNow) {
    s.rejected++;
    s.listener.resultRejected(reason);
    item.avoid.add(worker.record);
    if (faultNow) {
      s.sessions.faultLocked(worker.record, why);
    } else {
      item.invalid.add(worker.record);
      log.warn("Worker {} {}; sending it elsewhere", worker.name, why);
    }
    s.lifecycle.rescheduleLocked(item);
  }

  @GuardedBy("s.lock")
  void failedLocked(WorkItem item, WorkerConnection worker, WorkFailure failure) {
    Status.Code code = Status.fromCodeValue(failure.getCode()).getCode();
    Status status =
        (PASSED_THROUGH.contains(code) ? Status.fromCode(code) : Status.UNAVAILABLE)
            .withDescription(
                "Worker "
                    + worker.name
                    + " failed "
                    + item.id
                    + " ("
                    + code
                    + "): "
                    + LogSafe.escape(failure.getMessage()));
    item.failures.putIfAbsent(worker.record, status);
    log.debug(
        "Worker {} failed {}: {} {}",
        worker.name,
        item.id,
        code,
        LogSafe.escape(failure.getMessage()));
    if (s.lifecycle.shouldFailLocked(item)) {
      s.lifecycle.failLocked(item, item.failures.values().iterator().next());
    } else {
      s.lifecycle.rescheduleLocked(item);
    }
  }

  @GuardedBy("s.lock")
  void trainedLocked(WorkItem item, WorkerConnection worker, TrainResult result, long sentNanos) {
    String problem = AnswerChecks.modelProblem(result);
    if (problem != null) {
      rejectLocked(
          item,
          worker,
          DispatchListener.MODEL_FORMAT,
          "sent an unusable model for " + item.id + ": " + problem,
          true);
      return;
    }
    WorkItem.Candidate candidate =
        new WorkItem.Candidate(result, worker.record, worker.name, sentNanos);
    if (item.probe != null) {
      if (item.spares.size() < 2) {
        item.spares.add(candidate);
      }
      return;
    }
    probeLocked(item, candidate);
  }

  /**
   * Checks a returned model by scoring the job's first rows with it on a worker before the job
   * counts.
   */
  @GuardedBy("s.lock")
  void probeLocked(WorkItem train, WorkItem.Candidate candidate) {
    String probeId = s.newId("p-");
    String modelId = "probe-" + probeId.substring(2);
    s.models.put(modelId, candidate.result().getModel().toByteArray());
    float[] features = train.probeFeatures;
    WorkItem probe =
        WorkItems.score(
            probeId,
            modelId,
            train.probeRows,
            train.width,
            train.input,
            4L * features.length,
            s.config.scoreDeadlineFor(train.probeRows),
            (batch, coded) -> WorkItems.addFeatures(batch, features));
    probe.probeOf = train;
    train.probe = probe;
    train.candidate = candidate;
    s.pending.put(probe.id, probe);
    s.queue.addFirst(probe);
    probe.queued = true;
    log.debug("Probing the model {} sent for {} ({})", candidate.trainerName(), train.id, probe.id);
  }

  /** A valid answer: completes the item (or, for a probe, the training job it checked). */
  @GuardedBy("s.lock")
  void succeedLocked(WorkItem item, WorkerConnection worker, Object value, long sentNanos) {
    worker.record.completed++;
    worker.completed++;
    s.lifecycle.finishLocked(item, worker.record);
    if (item.probeOf == null) {
      s.listener.completed(
          item.kind == WorkItem.Kind.SCORE, item.rows, System.nanoTime() - sentNanos, worker.name);
      s.deferred.add(() -> item.result.complete(value));
      return;
    }
    WorkItem train = item.probeOf;
    WorkItem.Candidate candidate = train.candidate;
    train.probe = null;
    if (train.done()) {
      return;
    }
    candidate.trainer().completed++;
    s.lifecycle.finishLocked(train, candidate.trainer());
    s.listener.completed(
        false, train.rows, System.nanoTime() - candidate.sentNanos(), candidate.trainerName());
    s.deferred.add(() -> train.result.complete(candidate.result()));
  }
}
