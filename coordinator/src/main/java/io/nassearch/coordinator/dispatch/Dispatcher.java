package io.nassearch.coordinator.dispatch;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import com.google.protobuf.UnsafeByteOperations;
import io.nassearch.api.v1.CodedRows;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.LoadModel;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.api.codes.CodedLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands score batches and training jobs to connected workers, within the credits each worker granted.
 *
 * <p>Work waits in one FIFO queue. Whenever a worker has a credit left and its stream is ready, the
 * head item goes to the connected worker with the fewest items in flight (then the most free credits), so
 * work spreads evenly even when workers size their credit windows differently.
 * Before a score batch, the worker receives the model it needs once per stream. Each delivery has a
 * deadline; an item whose worker disconnects, goes silent or misses the deadline is queued again (at
 * the front) for another attempt. The first result for an item completes it; any later result for the
 * same item (a late duplicate) is dropped and counted, so nothing is counted twice. See README.md in
 * this package.
 *
 * <p>Threading: all state is guarded by one lock; stream writes happen under it, which serialises the
 * writes per stream. Futures are completed outside the lock.
 */
@ThreadSafe
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatchConfig config;
  private final ModelRegistry models;
  private final DispatchListener listener;
  private final ScheduledExecutorService timer;
  private final AtomicLong ids = new AtomicLong();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Deque<WorkItem> queue = new ArrayDeque<>();

  @GuardedBy("lock")
  private final Map<String, WorkItem> pending = new HashMap<>();

  @GuardedBy("lock")
  private final Map<String, WorkerConnection> workers = new LinkedHashMap<>();

  @GuardedBy("lock")
  private long duplicatesDropped;

  @GuardedBy("lock")
  private long redeliveries;

  public Dispatcher(DispatchConfig config, ModelRegistry models, DispatchListener listener) {
    this.config = config;
    this.models = models;
    this.listener = listener;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dispatcher-timer");
              t.setDaemon(true);
              return t;
            });
    long tick = Math.max(20, Math.min(500, config.scoreDeadline().toMillis() / 4));
    timer.scheduleWithFixedDelay(this::checkTimeouts, tick, tick, TimeUnit.MILLISECONDS);
  }

  public DispatchConfig config() {
    return config;
  }

  /** Queues a score batch; the future completes with one score per row. */
  public CompletableFuture<float[]> score(String modelId, int rows, int width, float[] features) {
    if (rows < 1 || width < 1 || features.length != (long) rows * width) {
      throw new IllegalArgumentException(
          "Expected a " + rows + "x" + width + " feature matrix, but got " + features.length + " values");
    }
    return queueScore(modelId, rows, width, (batch, coded) -> addFeatures(batch, features));
  }

  /**
   * Queues a score batch of coded rows ({@code rows x layout.fields()} bytes, see {@link CodedLayout}); the
   * future completes with one score per row. The batch travels as its codes (a tenth of the float features
   * for NAS-Bench-201) to workers that expand them; a worker that does not gets the expanded floats.
   * {@code codes} is handed over: the caller must not change it afterwards.
   */
  public CompletableFuture<float[]> scoreCoded(String modelId, int rows, CodedLayout layout, byte[] codes) {
    if (rows < 1 || codes.length != (long) rows * layout.fields()) {
      throw new IllegalArgumentException(
          "Expected " + rows + " coded rows of " + layout.fields() + " fields, but got " + codes.length + " bytes");
    }
    CodedRows.Builder wire = CodedRows.newBuilder().setCodes(UnsafeByteOperations.unsafeWrap(codes));
    for (int depth : layout.oneHotDepths()) {
      wire.addOneHotDepths(depth);
    }
    return queueScore(modelId, rows, layout.width(), (batch, coded) -> {
      if (coded) {
        batch.setCoded(wire);
      } else {
        float[] features = new float[rows * layout.width()];
        layout.expand(codes, 0, rows, features, 0);
        addFeatures(batch, features);
      }
    });
  }

  /** How a score batch's rows go into its message, for a worker that does or does not expand coded rows. */
  private interface Payload {
    void fill(ScoreBatch.Builder batch, boolean coded);
  }

  private CompletableFuture<float[]> queueScore(String modelId, int rows, int width, Payload payload) {
    String id = "b-" + ids.incrementAndGet();
    Duration deadline = config.scoreDeadline();
    WorkItem item =
        new WorkItem(
            id,
            WorkItem.Kind.SCORE,
            modelId,
            rows,
            (attempt, coded) -> {
              ScoreBatch.Builder batch =
                  ScoreBatch.newBuilder()
                      .setBatchId(id)
                      .setAttempt(attempt)
                      .setModelId(modelId)
                      .setRows(rows)
                      .setWidth(width)
                      .setDeadline(Durations.fromMillis(deadline.toMillis()));
              payload.fill(batch, coded);
              return CoordinatorMessage.newBuilder().setScoreBatch(batch).build();
            });
    return linked(enqueue(item), item, r -> toScores((ScoreResult) r, rows, id));
  }

  private static void addFeatures(ScoreBatch.Builder batch, float[] features) {
    for (float x : features) {
      batch.addFeatures(x); // unboxed, unlike addAllFeatures(List<Float>)
    }
  }

  /** Queues a training job; the future completes with the worker's result (model bytes included). */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec, long seed, int rows, int width, float[] features, float[] targets) {
    return train(spec, seed, rows, width, features, targets, null);
  }

  /** As above, starting from the weights of {@code warmStartModel} (model bytes) when not null. */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec, long seed, int rows, int width, float[] features, float[] targets, byte[] warmStartModel) {
    if (rows < 2 || width < 1 || features.length != (long) rows * width || targets.length != rows) {
      throw new IllegalArgumentException("Expected " + rows + " labelled rows of width " + width);
    }
    String id = "t-" + ids.incrementAndGet();
    Duration deadline = config.trainDeadline();
    TrainJob.Builder job =
        TrainJob.newBuilder()
            .setJobId(id)
            .setSpec(spec)
            .setSeed(seed)
            .setRows(rows)
            .setWidth(width)
            .setDeadline(Durations.fromMillis(deadline.toMillis()));
    for (float x : features) {
      job.addFeatures(x);
    }
    for (float t : targets) {
      job.addTargets(t);
    }
    if (warmStartModel != null) {
      job.setWarmStartModel(ByteString.copyFrom(warmStartModel));
    }
    WorkItem item =
        new WorkItem(
            id,
            WorkItem.Kind.TRAIN,
            null,
            rows,
            (attempt, coded) -> CoordinatorMessage.newBuilder().setTrainJob(job.clone().setAttempt(attempt)).build());
    return linked(enqueue(item), item, r -> (TrainResult) r);
  }

  /**
   * Forgets a model nobody will score with again: removes it from the registry and tells every worker that
   * loaded it to free it. Batches still queued for it fail on the worker with FAILED_PRECONDITION.
   */
  public void release(String modelId) {
    synchronized (lock) {
      for (WorkerConnection worker : workers.values()) {
        if (worker.loadedModels.remove(modelId) && !worker.closed) {
          worker.send(
              CoordinatorMessage.newBuilder()
                  .setUnloadModel(io.nassearch.api.v1.UnloadModel.newBuilder().setModelId(modelId))
                  .build());
        }
      }
    }
    models.remove(modelId);
  }

  /** A future for the caller whose cancellation withdraws the work item. */
  private static <T> CompletableFuture<T> linked(
      CompletableFuture<Object> raw, WorkItem item, java.util.function.Function<Object, T> convert) {
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
    synchronized (lock) {
      pending.put(item.id, item);
      queue.addLast(item);
      pumpLocked();
      listener.queueChanged(queue.size(), inFlightLocked());
    }
    // Cancelling the future (e.g. a cancelled search) withdraws the item.
    item.result.whenComplete(
        (r, e) -> {
          synchronized (lock) {
            if (pending.remove(item.id) != null) {
              queue.remove(item);
              if (item.owner != null) {
                item.owner.inFlight.remove(item.id);
                if (!item.owner.closed) {
                  item.owner.send(
                      CoordinatorMessage.newBuilder()
                          .setCancel(io.nassearch.api.v1.CancelWork.newBuilder().setWorkId(item.id))
                          .build());
                }
              }
            }
          }
        });
    return item.result;
  }

  // ---- worker side ----

  /** Registers a worker stream after its Hello. Throws ALREADY_EXISTS if the id is connected. */
  public WorkerConnection register(Hello hello, ServerCallStreamObserver<CoordinatorMessage> out) {
    String workerId = hello.getWorkerId();
    String device = hello.getDevice();
    int maxBatchRows = hello.getMaxBatchRows();
    WorkerConnection connection = new WorkerConnection(workerId, device, maxBatchRows, hello.getAcceptsCodedRows(), out);
    synchronized (lock) {
      if (workers.containsKey(workerId)) {
        throw Status.ALREADY_EXISTS
            .withDescription("A worker with id '" + workerId + "' is already connected")
            .asRuntimeException();
      }
      workers.put(workerId, connection);
      listener.workersChanged(workers.size());
    }
    log.info("Worker {} connected (device {}, max batch rows {})", workerId, device, maxBatchRows);
    return connection;
  }

  public void grantCredits(WorkerConnection worker, int credits) {
    synchronized (lock) {
      worker.lastSeenNanos = System.nanoTime();
      worker.credits += credits;
      listener.creditsChanged(worker.workerId, worker.credits);
      pumpLocked();
    }
  }

  public void heartbeat(WorkerConnection worker) {
    worker.lastSeenNanos = System.nanoTime();
  }

  /** The worker's stream became writable again. */
  public void streamReady(WorkerConnection worker) {
    synchronized (lock) {
      pumpLocked();
    }
  }

  public void scoreResult(WorkerConnection worker, ScoreResult result) {
    complete(worker, result.getBatchId(), result, null);
  }

  public void trainResult(WorkerConnection worker, TrainResult result) {
    complete(worker, result.getJobId(), result, null);
  }

  public void failure(WorkerConnection worker, WorkFailure failure) {
    Status status =
        Status.fromCodeValue(failure.getCode())
            .withDescription("Worker " + worker.workerId + " failed " + failure.getWorkId() + ": " + failure.getMessage());
    complete(worker, failure.getWorkId(), null, status.asRuntimeException());
  }

  private void complete(WorkerConnection worker, String workId, Object result, Throwable error) {
    WorkItem item;
    synchronized (lock) {
      worker.lastSeenNanos = System.nanoTime();
      boolean held = worker.inFlight.remove(workId);
      item = pending.get(workId);
      if (item == null || item.result.isDone()) {
        duplicatesDropped++;
        listener.duplicateDropped();
        log.debug("Dropped late result for {} from worker {} (held: {})", workId, worker.workerId, held);
        pumpLocked();
        return;
      }
      pending.remove(workId);
      queue.remove(item);
      if (item.owner != null && item.owner != worker) {
        item.owner.inFlight.remove(workId);
      }
      worker.completed++;
      if (error == null) {
        listener.completed(item.kind == WorkItem.Kind.SCORE, item.rows, System.nanoTime() - item.sentNanos, worker.workerId);
      }
      pumpLocked();
      listener.queueChanged(queue.size(), inFlightLocked());
    }
    if (error != null) {
      item.result.completeExceptionally(error);
    } else {
      item.result.complete(result);
    }
  }

  /** The worker's stream ended (cleanly or not): its unfinished items go back to the queue. */
  public void unregister(WorkerConnection worker, String reason) {
    synchronized (lock) {
      if (worker.closed) {
        return;
      }
      worker.closed = true;
      workers.remove(worker.workerId, worker);
      List<WorkItem> back = new ArrayList<>();
      for (String id : worker.inFlight) {
        WorkItem item = pending.get(id);
        if (item != null && item.owner == worker) {
          back.add(item);
        }
      }
      worker.inFlight.clear();
      requeueLocked(back, "worker " + worker.workerId + " left");
      listener.workersChanged(workers.size());
      listener.creditsChanged(worker.workerId, 0);
      listener.workerLeft(worker.workerId);
      log.info("Worker {} disconnected ({}); {} item(s) requeued", worker.workerId, reason, back.size());
      pumpLocked();
      listener.queueChanged(queue.size(), inFlightLocked());
    }
  }

  private void checkTimeouts() {
    try {
      long now = System.nanoTime();
      List<WorkerConnection> silent = new ArrayList<>();
      synchronized (lock) {
        List<WorkItem> late = new ArrayList<>();
        for (WorkItem item : pending.values()) {
          if (item.owner != null && now - item.deadlineNanos > 0) {
            late.add(item);
          }
        }
        for (WorkItem item : late) {
          // The late worker keeps the credit until it answers; a stuck worker thus stops receiving work.
          item.owner.inFlight.remove(item.id);
        }
        late.sort(Comparator.comparingLong((WorkItem i) -> i.enqueuedNanos));
        requeueLocked(late, "deadline passed");
        long timeout = config.workerTimeout().toNanos();
        for (WorkerConnection w : workers.values()) {
          if (now - w.lastSeenNanos > timeout) {
            silent.add(w);
          }
        }
        if (!late.isEmpty()) {
          pumpLocked();
        }
      }
      for (WorkerConnection w : silent) {
        log.warn("Worker {} sent nothing for {}; dropping it", w.workerId, config.workerTimeout());
        unregister(w, "silent");
        try {
          w.out.onError(Status.DEADLINE_EXCEEDED.withDescription("No heartbeat").asRuntimeException());
        } catch (RuntimeException ignored) {
          // The stream may already be gone.
        }
      }
    } catch (RuntimeException e) {
      log.error("Expected to check dispatch deadlines, but failed", e);
    }
  }

  @GuardedBy("lock")
  private void requeueLocked(List<WorkItem> items, String why) {
    List<WorkItem> failed = new ArrayList<>();
    for (int i = items.size() - 1; i >= 0; i--) {
      WorkItem item = items.get(i);
      item.owner = null;
      if (item.attempt >= config.maxAttempts()) {
        failed.add(item);
        continue;
      }
      redeliveries++;
      listener.redelivered();
      queue.addFirst(item);
      log.debug("Requeued {} after attempt {} ({})", item.id, item.attempt, why);
    }
    for (WorkItem item : failed) {
      pending.remove(item.id);
      item.result.completeExceptionally(
          Status.UNAVAILABLE
              .withDescription("Gave up on " + item.id + " after " + item.attempt + " attempts (" + why + ")")
              .asRuntimeException());
    }
  }

  @GuardedBy("lock")
  private void pumpLocked() {
    Iterator<WorkItem> it = queue.iterator();
    while (it.hasNext()) {
      WorkItem item = it.next();
      if (item.result.isDone()) {
        it.remove();
        continue;
      }
      WorkerConnection target = null;
      for (WorkerConnection w : workers.values()) {
        if (w.canTake(item) && (target == null || w.inFlight.size() < target.inFlight.size()
            || (w.inFlight.size() == target.inFlight.size() && w.credits > target.credits))) {
          target = w;
        }
      }
      if (target == null) {
        if (workers.values().stream().anyMatch(w -> w.credits > 0 && w.out.isReady())) {
          continue; // This item fits no free worker (too many rows); later items may.
        }
        return;
      }
      it.remove();
      sendLocked(target, item);
    }
  }

  @GuardedBy("lock")
  private void sendLocked(WorkerConnection worker, WorkItem item) {
    if (item.modelId != null && !worker.loadedModels.contains(item.modelId)) {
      byte[] bytes = models.get(item.modelId);
      worker.send(
          CoordinatorMessage.newBuilder()
              .setLoadModel(LoadModel.newBuilder().setModelId(item.modelId).setModel(ByteString.copyFrom(bytes)))
              .build());
      worker.loadedModels.add(item.modelId);
      listener.modelShipped(worker.workerId);
    }
    item.attempt++;
    item.owner = worker;
    item.sentNanos = System.nanoTime();
    Duration deadline = item.kind == WorkItem.Kind.SCORE ? config.scoreDeadline() : config.trainDeadline();
    item.deadlineNanos = item.sentNanos + deadline.toNanos();
    worker.credits--;
    worker.inFlight.add(item.id);
    worker.send(item.message.forAttempt(item.attempt, worker.acceptsCodedRows));
    listener.creditsChanged(worker.workerId, worker.credits);
    listener.dispatched(item.kind == WorkItem.Kind.SCORE, item.attempt > 1);
  }

  @GuardedBy("lock")
  private int inFlightLocked() {
    int n = 0;
    for (WorkerConnection w : workers.values()) {
      n += w.inFlight.size();
    }
    return n;
  }

  /** A point-in-time view for status pages and tests. */
  public Snapshot snapshot() {
    synchronized (lock) {
      List<WorkerView> views = new ArrayList<>();
      for (WorkerConnection w : workers.values()) {
        views.add(new WorkerView(w.workerId, w.device, w.credits, w.inFlight.size(), w.completed));
      }
      return new Snapshot(queue.size(), inFlightLocked(), views, duplicatesDropped, redeliveries);
    }
  }

  public record WorkerView(String workerId, String device, int credits, int inFlight, long completed) {}

  public record Snapshot(
      int queued, int inFlight, List<WorkerView> workers, long duplicatesDropped, long redeliveries) {}

  @Override
  public void close() {
    timer.shutdownNow();
    List<WorkItem> abandoned;
    synchronized (lock) {
      abandoned = new ArrayList<>(pending.values());
      pending.clear();
      queue.clear();
    }
    for (WorkItem item : abandoned) {
      item.result.completeExceptionally(
          Status.UNAVAILABLE.withDescription("Coordinator is shutting down").asRuntimeException());
    }
  }

  private static float[] toScores(ScoreResult result, int rows, String id) {
    if (result.getScoresCount() != rows) {
      throw Status.INTERNAL
          .withDescription("Expected " + rows + " scores for " + id + ", but the worker sent " + result.getScoresCount())
          .asRuntimeException();
    }
    float[] scores = new float[rows];
    for (int i = 0; i < rows; i++) {
      scores[i] = result.getScores(i);
    }
    return scores;
  }
}
