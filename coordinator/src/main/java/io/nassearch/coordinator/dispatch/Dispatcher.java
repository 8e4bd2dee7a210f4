package io.nassearch.coordinator.dispatch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.model.ModelEnvelope;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.coordinator.model.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.concurrent.ThreadSafe;

/**
 * Hands score batches and training jobs to connected workers, within the credits each worker
 * granted, and accepts only answers it can check. See README.md in this package for the rules; in
 * short:
 *
 * <ul>
 *   <li>Work ids are random (128 bits) and bound to the streams they were sent to: an answer from
 *       any other stream is a forgery, dropped and counted as a fault of its sender.
 *   <li>Answers are checked before they count: one finite score of bounded magnitude per row; a
 *       trained model must have an intact frame ({@link ModelEnvelope}) and then score a probe
 *       batch of its training rows on a worker (another one where possible). A rejected answer
 *       sends the item elsewhere.
 *   <li>A worker with a record of finishing (a valid result) is preferred and may fill its credit
 *       window; one without holds one item at a time, and one with an overdue item gets nothing
 *       new. When a worker is idle and an item has been held only by workers without a record for a
 *       quarter of its deadline, it gets a backup copy; the first valid answer wins.
 *   <li>Deadlines scale with rows (and epochs); a miss sends the item elsewhere. An item fails
 *       after {@code maxAttempts} misses on workers with a record, or {@code maxDeliveries} sends,
 *       or when workers report failures it cannot route around (two workers, one with a record, or
 *       nobody else connected).
 *   <li>Faults (forgeries, wrong lengths, bad models, invalid scores another worker contradicted)
 *       quarantine a worker after {@code quarantineAfter}: it is disconnected and its id and
 *       credential refused.
 * </ul>
 *
 * <p>Threading: all state is guarded by one lock; stream writes happen under it, which serialises
 * the writes per stream. Futures are completed, and streams closed, outside the lock.
 */
@ThreadSafe
public final class Dispatcher implements AutoCloseable {

  /** Credential of streams that presented none. */
  public static final String ANONYMOUS = "anonymous";

  private final DispatchState s;
  private final ScheduledExecutorService timer;

  public Dispatcher(DispatchConfig config, ModelRegistry models, DispatchListener listener) {
    this.s = new DispatchState(config, models, listener);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dispatcher-timer");
              t.setDaemon(true);
              return t;
            });
    long tick = Math.max(20, Math.min(500, config.scoreDeadline().toMillis() / 4));
    timer.scheduleWithFixedDelay(s.sessions::checkTimeouts, tick, tick, TimeUnit.MILLISECONDS);
  }

  public DispatchConfig config() {
    return s.config;
  }

  /** Queues a score batch; the future completes with one score per row. */
  public CompletableFuture<float[]> score(String modelId, int rows, int width, float[] features) {
    return score(modelId, rows, width, features, InputLayout.getDefaultInstance());
  }

  /** As above, for rows laid out as {@code input} (graph rows for a graph family). */
  public CompletableFuture<float[]> score(
      String modelId, int rows, int width, float[] features, InputLayout input) {
    if (rows < 1 || width < 1 || features.length != (long) rows * width) {
      throw new IllegalArgumentException(
          "Expected a "
              + rows
              + "x"
              + width
              + " feature matrix, but got "
              + features.length
              + " values");
    }
    return queueScore(
        modelId,
        rows,
        width,
        input,
        4L * features.length,
        (batch, coded) -> WorkItems.addFeatures(batch, features));
  }

  /**
   * Queues a score batch of coded rows ({@code rows x layout.fields()} bytes, see {@link
   * CodedLayout}); the future completes with one score per row. The batch travels as its codes (a
   * tenth of the float features for NAS-Bench-201) to workers that expand them; a worker that does
   * not gets the expanded floats. {@code codes} is handed over: the caller must not change it
   * afterwards.
   */
  public CompletableFuture<float[]> scoreCoded(
      String modelId, int rows, CodedLayout layout, byte[] codes) {
    if (rows < 1 || codes.length != (long) rows * layout.fields()) {
      throw new IllegalArgumentException(
          "Expected "
              + rows
              + " coded rows of "
              + layout.fields()
              + " fields, but got "
              + codes.length
              + " bytes");
    }
    return queueScore(
        modelId,
        rows,
        layout.width(),
        InputLayout.getDefaultInstance(),
        codes.length,
        WorkItems.codedPayload(rows, layout, codes));
  }

  private CompletableFuture<float[]> queueScore(
      String modelId,
      int rows,
      int width,
      InputLayout input,
      long bytes,
      WorkItems.Payload payload) {
    WorkItem item =
        WorkItems.score(
            s.newId("b-"),
            modelId,
            rows,
            width,
            input,
            bytes,
            s.config.scoreDeadlineFor(rows),
            payload);
    return linked(enqueue(item), item, r -> (float[]) r);
  }

  /**
   * Queues a training job; the future completes with the worker's result (model bytes included).
   */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec, long seed, int rows, int width, float[] features, float[] targets) {
    return train(
        spec, seed, rows, width, features, targets, null, InputLayout.getDefaultInstance());
  }

  /**
   * As above, starting from the weights of {@code warmStartModel} (model bytes) when not null, for
   * rows laid out as {@code input} (graph rows for a graph family). The future completes only with
   * a model that passed its checks (frame, then a probe batch on a worker, with the same layout).
   */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec,
      long seed,
      int rows,
      int width,
      float[] features,
      float[] targets,
      byte[] warmStartModel,
      InputLayout input) {
    if (rows < 2 || width < 1 || features.length != (long) rows * width || targets.length != rows) {
      throw new IllegalArgumentException("Expected " + rows + " labelled rows of width " + width);
    }
    int epochs = spec.getMaxEpochs() > 0 ? spec.getMaxEpochs() : 200;
    WorkItem item =
        WorkItems.train(
            s.newId("t-"),
            TrainJob.newBuilder()
                .setSpec(spec)
                .setSeed(seed)
                .setRows(rows)
                .setWidth(width)
                .setInput(input),
            features,
            targets,
            warmStartModel,
            s.config.trainDeadlineFor(rows, epochs));
    return linked(enqueue(item), item, r -> (TrainResult) r);
  }

  /**
   * Forgets a model nobody will score with again: removes it from the registry and tells every
   * worker that loaded it to free it. Batches still queued for it fail with FAILED_PRECONDITION.
   */
  public void release(String modelId) {
    synchronized (s.lock) {
      s.unloadLocked(modelId);
    }
    s.models.remove(modelId);
  }

  /** A future for the caller whose cancellation withdraws the work item. */
  private static <T> CompletableFuture<T> linked(
      CompletableFuture<Object> raw,
      WorkItem item,
      java.util.function.Function<Object, T> convert) {
    CompletableFuture<T> out = raw.thenApply(convert);
    out.whenComplete(
        (r, e) -> {
          if (out.isCancelled()) {
            item.result.cancel(false);
          }
        });
    return out;
  }

  private CompletableFuture<Object> enqueue(WorkItem item) {
    synchronized (s.lock) {
      s.pending.put(item.id, item);
      s.queue.addLast(item);
      item.queued = true;
      s.assignment.pumpLocked();
      s.queueChangedLocked();
    }
    s.runDeferred();
    // Cancelling the future (e.g. a cancelled search) withdraws the item.
    item.result.whenComplete(
        (r, e) -> {
          if (item.result.isCancelled()) {
            synchronized (s.lock) {
              if (s.pending.remove(item.id) != null) {
                s.lifecycle.withdrawLocked(item);
                s.queueChangedLocked();
              }
            }
          }
        });
    return item.result;
  }

  // ---- worker side ----

  /**
   * Registers a worker stream that presented no credential; see {@link #register(Hello, String,
   * int, ServerCallStreamObserver)}.
   */
  public WorkerConnection register(Hello hello, ServerCallStreamObserver<CoordinatorMessage> out) {
    return register(hello, ANONYMOUS, Integer.MAX_VALUE, out);
  }

  /**
   * Registers a worker stream after its Hello. A stream with the id and credential of a connected
   * one replaces it (its work goes back to the queue); the same id with another credential is a
   * different worker. Throws PERMISSION_DENIED while the worker is quarantined and
   * RESOURCE_EXHAUSTED when {@code maxWorkers} streams are connected.
   */
  public WorkerConnection register(
      Hello hello,
      String credential,
      int maxWorkers,
      ServerCallStreamObserver<CoordinatorMessage> out) {
    return s.sessions.register(hello, credential, maxWorkers, out);
  }

  public void grantCredits(WorkerConnection worker, int credits) {
    s.sessions.grantCredits(worker, credits);
  }

  public void heartbeat(WorkerConnection worker) {
    worker.lastSeenNanos = System.nanoTime();
  }

  /** The worker's stream became writable again. */
  public void streamReady(WorkerConnection worker) {
    synchronized (s.lock) {
      s.assignment.pumpLocked();
    }
    s.runDeferred();
  }

  public void scoreResult(WorkerConnection worker, ScoreResult result) {
    answer(worker, result.getBatchId(), DispatchListener.SCORE_RESULT, result);
  }

  public void trainResult(WorkerConnection worker, TrainResult result) {
    answer(worker, result.getJobId(), DispatchListener.TRAIN_RESULT, result);
  }

  public void failure(WorkerConnection worker, WorkFailure failure) {
    answer(worker, failure.getWorkId(), DispatchListener.FAILURE, failure);
  }

  private void answer(WorkerConnection worker, String workId, String kind, Object message) {
    synchronized (s.lock) {
      worker.lastSeenNanos = System.nanoTime();
      if (!worker.closed) {
        s.answers.answerLocked(worker, workId, kind, message);
        s.assignment.pumpLocked();
        s.queueChangedLocked();
      }
    }
    s.runDeferred();
  }

  /** The worker's stream ended (cleanly or not): its unfinished items go back to the queue. */
  public void unregister(WorkerConnection worker, String reason) {
    synchronized (s.lock) {
      s.sessions.unregisterLocked(worker, reason);
    }
    s.runDeferred();
  }

  /** A point-in-time view for status pages and tests. */
  public Snapshot snapshot() {
    synchronized (s.lock) {
      List<WorkerView> views = new ArrayList<>();
      for (WorkerConnection w : s.workers.values()) {
        views.add(
            new WorkerView(
                w.name,
                w.device,
                w.credits,
                w.inFlight.size(),
                w.completed,
                w.record.proven(),
                w.record.faults));
      }
      return new Snapshot(
          s.queue.size(),
          s.inFlightLocked(),
          views,
          s.duplicatesDropped,
          s.redeliveries,
          s.forgeries,
          s.rejected,
          s.quarantines,
          s.backupCopies);
    }
  }

  /**
   * @param hasRecord the worker (id and credential) has sent a valid result
   * @param faults faults counted since its last quarantine
   */
  public record WorkerView(
      String workerId,
      String device,
      int credits,
      int inFlight,
      long completed,
      boolean hasRecord,
      int faults) {}

  /**
   * @param forgeries answers for work the sending stream did not hold
   * @param rejected answers from the holder that failed a check (length, non-finite, magnitude,
   *     model)
   * @param quarantines workers quarantined
   * @param backupCopies extra copies sent to idle workers (see README.md)
   */
  public record Snapshot(
      int queued,
      int inFlight,
      List<WorkerView> workers,
      long duplicatesDropped,
      long redeliveries,
      long forgeries,
      long rejected,
      long quarantines,
      long backupCopies) {}

  @Override
  public void close() {
    timer.shutdownNow();
    List<WorkItem> abandoned;
    synchronized (s.lock) {
      abandoned = new ArrayList<>(s.pending.values());
      s.pending.clear();
      s.queue.clear();
    }
    for (WorkItem item : abandoned) {
      item.result.completeExceptionally(
          Status.UNAVAILABLE.withDescription("Coordinator is shutting down").asRuntimeException());
    }
  }
}
