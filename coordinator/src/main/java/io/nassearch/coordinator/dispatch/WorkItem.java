package io.nassearch.coordinator.dispatch;

import io.grpc.Status;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.TrainResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work (a score batch or a training job) and its delivery state; guarded by the
 * Dispatcher lock.
 */
final class WorkItem {
  enum Kind {
    SCORE,
    TRAIN
  }

  final String id;
  final Kind kind;

  /** Model the worker must have loaded first; null for training jobs. */
  final String modelId;

  final int rows;
  final long deadlineNanos;

  /** Approximate size on the wire, which bounds backup copies. */
  final long bytes;

  /** Builds the message for a given attempt, so redeliveries carry their attempt number. */
  final MessageFactory message;

  final CompletableFuture<Object> result = new CompletableFuture<>();
  final long enqueuedNanos = System.nanoTime();

  /** Every send, backup copies included: the attempt number on the wire. */
  int deliveries;

  /** Sends from the queue (backup copies excluded), bounded by DispatchConfig.maxDeliveries. */
  int queueDeliveries;

  /**
   * Deliveries to workers with a record of finishing that ended without an answer, bounded by
   * maxAttempts.
   */
  int misses;

  boolean queued;

  /** Connections holding a delivery within its deadline, with the time it was sent. */
  final Map<WorkerConnection, Long> holders = new LinkedHashMap<>();

  /**
   * Connections whose delivery passed its deadline; their answer still counts if it comes first.
   */
  final Map<WorkerConnection, Long> late = new LinkedHashMap<>();

  /** Workers that missed it or sent an invalid result: tried last, never for a backup copy. */
  final Set<WorkerRecord> avoid = new HashSet<>();

  /** Workers that reported a WorkFailure, with what they said: never sent it again. */
  final Map<WorkerRecord, Status> failures = new LinkedHashMap<>();

  /**
   * Workers that sent non-finite or absurd scores: charged a fault once another worker completes
   * it.
   */
  final Set<WorkerRecord> invalid = new LinkedHashSet<>();

  // Training jobs: the first rows of the job, to probe a returned model with.
  float[] probeFeatures;
  int probeRows;
  int width;

  /** How the training job's rows are laid out, for its probe batch. */
  io.nassearch.api.v1.InputLayout input = io.nassearch.api.v1.InputLayout.getDefaultInstance();

  /** The probe running for {@link #candidate}; null when no model is being checked. */
  WorkItem probe;

  Candidate candidate;

  /** Further models returned while one was being checked, tried if it fails. */
  final Deque<Candidate> spares = new ArrayDeque<>();

  // Probe batches: the training job whose model this checks.
  WorkItem probeOf;

  record Candidate(TrainResult result, WorkerRecord trainer, String trainerName, long sentNanos) {}

  interface MessageFactory {
    /**
     * {@code coded}: the receiving worker expands coded rows itself (see {@code
     * Hello.accepts_coded_rows}).
     */
    CoordinatorMessage forAttempt(int attempt, boolean coded);
  }

  WorkItem(
      String id,
      Kind kind,
      String modelId,
      int rows,
      long deadlineNanos,
      long bytes,
      MessageFactory message) {
    this.id = id;
    this.kind = kind;
    this.modelId = modelId;
    this.rows = rows;
    this.deadlineNanos = deadlineNanos;
    this.bytes = bytes;
    this.message = message;
  }

  boolean done() {
    return result.isDone();
  }
}
