package io.nassearch.coordinator.dispatch;

import io.nassearch.api.v1.CoordinatorMessage;
import java.util.concurrent.CompletableFuture;

/** One unit of work (a score batch or a training job) and its delivery state; guarded by the Dispatcher lock. */
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
  /** Builds the message for a given attempt, so redeliveries carry their attempt number. */
  final MessageFactory message;

  final CompletableFuture<Object> result = new CompletableFuture<>();
  final long enqueuedNanos = System.nanoTime();
  int attempt;
  WorkerConnection owner;
  long sentNanos;
  long deadlineNanos;

  interface MessageFactory {
    /** {@code coded}: the receiving worker expands coded rows itself (see {@code Hello.accepts_coded_rows}). */
    CoordinatorMessage forAttempt(int attempt, boolean coded);
  }

  WorkItem(String id, Kind kind, String modelId, int rows, MessageFactory message) {
    this.id = id;
    this.kind = kind;
    this.modelId = modelId;
    this.rows = rows;
    this.message = message;
  }
}
