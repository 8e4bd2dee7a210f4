package io.nassearch.coordinator.dispatch;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.model.ModelEnvelope;
import io.nassearch.api.v1.CancelWork;
import io.nassearch.api.v1.CodedRows;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.LoadModel;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.UnloadModel;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.coordinator.model.ModelRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Credential of streams that presented none. */
  public static final String ANONYMOUS = "anonymous";

  private static final int PROBE_ROWS = 16;

  /**
   * Backup copies of one item stop when their bytes would pass this, but at least two are allowed.
   */
  private static final long BACKUP_BYTES = 64L << 20;

  private static final int MAX_RECORDS = 4096;
  private static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;
  private static final Set<Status.Code> PASSED_THROUGH =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNIMPLEMENTED,
          Status.Code.UNAVAILABLE);

  private final DispatchConfig config;
  private final ModelRegistry models;
  private final DispatchListener listener;
  private final ScheduledExecutorService timer;
  private final SecureRandom random = new SecureRandom();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final LinkedList<WorkItem> queue = new LinkedList<>();

  @GuardedBy("lock")
  private final Map<String, WorkItem> pending = new LinkedHashMap<>();

  /** Connected streams by record key (credential and worker id). */
  @GuardedBy("lock")
  private final Map<String, WorkerConnection> workers = new LinkedHashMap<>();

  @GuardedBy("lock")
  private final Map<String, WorkerRecord> records =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerRecord> eldest) {
          return size() > MAX_RECORDS
              && !workers.containsKey(eldest.getKey())
              && !eldest.getValue().quarantined(System.nanoTime());
        }
      };

  /** Work to do once the lock is released: completing futures, closing streams. */
  @GuardedBy("lock")
  private final List<Runnable> deferred = new ArrayList<>();

  @GuardedBy("lock")
  private long sequence;

  @GuardedBy("lock")
  private long duplicatesDropped;

  @GuardedBy("lock")
  private long redeliveries;

  @GuardedBy("lock")
  private long forgeries;

  @GuardedBy("lock")
  private long rejected;

  @GuardedBy("lock")
  private long quarantines;

  @GuardedBy("lock")
  private long backupCopies;

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
          "Expected a "
              + rows
              + "x"
              + width
              + " feature matrix, but got "
              + features.length
              + " values");
    }
    return queueScore(
        modelId, rows, width, 4L * features.length, (batch, coded) -> addFeatures(batch, features));
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
    CodedRows.Builder wire =
        CodedRows.newBuilder().setCodes(UnsafeByteOperations.unsafeWrap(codes));
    for (int depth : layout.oneHotDepths()) {
      wire.addOneHotDepths(depth);
    }
    return queueScore(
        modelId,
        rows,
        layout.width(),
        codes.length,
        (batch, coded) -> {
          if (coded) {
            batch.setCoded(wire);
          } else {
            float[] features = new float[rows * layout.width()];
            layout.expand(codes, 0, rows, features, 0);
            addFeatures(batch, features);
          }
        });
  }

  /**
   * How a score batch's rows go into its message, for a worker that does or does not expand coded
   * rows.
   */
  private interface Payload {
    void fill(ScoreBatch.Builder batch, boolean coded);
  }

  private CompletableFuture<float[]> queueScore(
      String modelId, int rows, int width, long bytes, Payload payload) {
    WorkItem item = scoreItem(newId("b-"), modelId, rows, width, bytes, payload);
    return linked(enqueue(item), item, r -> (float[]) r);
  }

  private WorkItem scoreItem(
      String id, String modelId, int rows, int width, long bytes, Payload payload) {
    Duration deadline = config.scoreDeadlineFor(rows);
    return new WorkItem(
        id,
        WorkItem.Kind.SCORE,
        modelId,
        rows,
        deadline.toNanos(),
        bytes,
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
  }

  private static void addFeatures(ScoreBatch.Builder batch, float[] features) {
    for (float x : features) {
      batch.addFeatures(x); // unboxed, unlike addAllFeatures(List<Float>)
    }
  }

  /**
   * Queues a training job; the future completes with the worker's result (model bytes included).
   */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec, long seed, int rows, int width, float[] features, float[] targets) {
    return train(spec, seed, rows, width, features, targets, null);
  }

  /**
   * As above, starting from the weights of {@code warmStartModel} (model bytes) when not null. The
   * future completes only with a model that passed its checks (frame, then a probe batch on a
   * worker).
   */
  public CompletableFuture<TrainResult> train(
      SurrogateSpec spec,
      long seed,
      int rows,
      int width,
      float[] features,
      float[] targets,
      byte[] warmStartModel) {
    if (rows < 2 || width < 1 || features.length != (long) rows * width || targets.length != rows) {
      throw new IllegalArgumentException("Expected " + rows + " labelled rows of width " + width);
    }
    String id = newId("t-");
    int epochs = spec.getMaxEpochs() > 0 ? spec.getMaxEpochs() : 200;
    Duration deadline = config.trainDeadlineFor(rows, epochs);
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
    long bytes =
        4L * (features.length + targets.length)
            + (warmStartModel == null ? 0 : warmStartModel.length);
    WorkItem item =
        new WorkItem(
            id,
            WorkItem.Kind.TRAIN,
            null,
            rows,
            deadline.toNanos(),
            bytes,
            (attempt, coded) ->
                CoordinatorMessage.newBuilder()
                    .setTrainJob(job.clone().setAttempt(attempt))
                    .build());
    item.probeRows = Math.min(PROBE_ROWS, rows);
    item.width = width;
    item.probeFeatures = Arrays.copyOf(features, item.probeRows * width);
    return linked(enqueue(item), item, r -> (TrainResult) r);
  }

  /**
   * Forgets a model nobody will score with again: removes it from the registry and tells every
   * worker that loaded it to free it. Batches still queued for it fail with FAILED_PRECONDITION.
   */
  public void release(String modelId) {
    synchronized (lock) {
      unloadLocked(modelId);
    }
    models.remove(modelId);
  }

  @GuardedBy("lock")
  private void unloadLocked(String modelId) {
    for (WorkerConnection worker : workers.values()) {
      if (worker.loadedModels.remove(modelId) && !worker.closed) {
        worker.send(
            CoordinatorMessage.newBuilder()
                .setUnloadModel(UnloadModel.newBuilder().setModelId(modelId))
                .build());
      }
    }
  }

  /** 128 random bits, base64url: a worker cannot guess the ids of work it was not sent. */
  private String newId(String prefix) {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
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
    synchronized (lock) {
      pending.put(item.id, item);
      queue.addLast(item);
      item.queued = true;
      pumpLocked();
      listener.queueChanged(queue.size(), inFlightLocked());
    }
    runDeferred();
    // Cancelling the future (e.g. a cancelled search) withdraws the item.
    item.result.whenComplete(
        (r, e) -> {
          if (item.result.isCancelled()) {
            synchronized (lock) {
              if (pending.remove(item.id) != null) {
                withdrawLocked(item);
                listener.queueChanged(queue.size(), inFlightLocked());
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
    String workerId = hello.getWorkerId();
    String key = credential + " " + workerId;
    WorkerConnection connection;
    synchronized (lock) {
      long now = System.nanoTime();
      WorkerRecord record = records.computeIfAbsent(key, k -> new WorkerRecord(k, workerId));
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
      WorkerConnection previous = workers.get(key);
      if (workers.size() - (previous == null ? 0 : 1) >= maxWorkers) {
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
      boolean shared = workers.values().stream().anyMatch(w -> w.workerId.equals(workerId));
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
              ++sequence,
              out);
      workers.put(key, connection);
      listener.workersChanged(workers.size());
    }
    runDeferred();
    log.info(
        "Worker {} connected (device {}, max batch rows {}, {})",
        connection.name,
        LogSafe.escape(hello.getDevice()),
        hello.getMaxBatchRows(),
        connection.record.proven() ? "has a record" : "new");
    return connection;
  }

  public void grantCredits(WorkerConnection worker, int credits) {
    synchronized (lock) {
      worker.lastSeenNanos = System.nanoTime();
      if (worker.closed) {
        return;
      }
      worker.credits = (int) Math.min(Integer.MAX_VALUE, (long) worker.credits + credits);
      listener.creditsChanged(worker.name, worker.credits);
      pumpLocked();
    }
    runDeferred();
  }

  public void heartbeat(WorkerConnection worker) {
    worker.lastSeenNanos = System.nanoTime();
  }

  /** The worker's stream became writable again. */
  public void streamReady(WorkerConnection worker) {
    synchronized (lock) {
      pumpLocked();
    }
    runDeferred();
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
    synchronized (lock) {
      worker.lastSeenNanos = System.nanoTime();
      if (!worker.closed) {
        answerLocked(worker, workId, kind, message);
        pumpLocked();
        listener.queueChanged(queue.size(), inFlightLocked());
      }
    }
    runDeferred();
  }

  @GuardedBy("lock")
  private void answerLocked(WorkerConnection worker, String workId, String kind, Object message) {
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
      String problem = scoreProblem(result, item.rows);
      if (problem == null) {
        succeedLocked(item, worker, toScores(result), sentNanos);
      } else {
        rejectLocked(
            item,
            worker,
            problem,
            describe(problem, result, item),
            problem.equals(DispatchListener.LENGTH));
      }
    } else {
      trainedLocked(item, worker, (TrainResult) message, sentNanos);
    }
  }

  @GuardedBy("lock")
  private void duplicateLocked(WorkerConnection worker, String workId) {
    duplicatesDropped++;
    listener.duplicateDropped();
    log.debug("Dropped a late answer for {} from worker {}", LogSafe.escape(workId), worker.name);
  }

  @GuardedBy("lock")
  private void forgeryLocked(WorkerConnection worker, String workId, String kind) {
    forgeries++;
    listener.forgeryDropped(kind);
    faultLocked(
        worker.record,
        "sent a " + kind + " for '" + LogSafe.escape(workId) + "', which it does not hold");
  }

  /** Null when the scores are one finite, bounded value per row; else the reason they are not. */
  private String scoreProblem(ScoreResult result, int rows) {
    if (result.getScoresCount() != rows) {
      return DispatchListener.LENGTH;
    }
    for (int i = 0; i < rows; i++) {
      float s = result.getScores(i);
      if (!Float.isFinite(s)) {
        return DispatchListener.NON_FINITE;
      }
      if (Math.abs(s) > config.maxAbsScore()) {
        return DispatchListener.MAGNITUDE;
      }
    }
    return null;
  }

  private String describe(String problem, ScoreResult result, WorkItem item) {
    return switch (problem) {
      case DispatchListener.LENGTH ->
          "sent "
              + result.getScoresCount()
              + " scores for "
              + item.id
              + ", which has "
              + item.rows
              + " rows";
      case DispatchListener.NON_FINITE -> "sent a non-finite score for " + item.id;
      default -> "sent a score beyond +-" + config.maxAbsScore() + " for " + item.id;
    };
  }

  private static float[] toScores(ScoreResult result) {
    float[] scores = new float[result.getScoresCount()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = result.getScores(i);
    }
    return scores;
  }

  /**
   * An invalid answer from a holder: the item goes elsewhere; the fault counts now or once another
   * worker completes the item.
   */
  @GuardedBy("lock")
  private void rejectLocked(
      WorkItem item, WorkerConnection worker, String reason, String why, boolean faultNow) {
    rejected++;
    listener.resultRejected(reason);
    item.avoid.add(worker.record);
    if (faultNow) {
      faultLocked(worker.record, why);
    } else {
      item.invalid.add(worker.record);
      log.warn("Worker {} {}; sending it elsewhere", worker.name, why);
    }
    rescheduleLocked(item);
  }

  @GuardedBy("lock")
  private void failedLocked(WorkItem item, WorkerConnection worker, WorkFailure failure) {
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
    if (shouldFailLocked(item)) {
      failLocked(item, item.failures.values().iterator().next());
    } else {
      rescheduleLocked(item);
    }
  }

  /**
   * Worker failures end an item when they cannot be routed around: two workers, one with a record,
   * failed it, or no connected worker without overdue work is left to try. Workers without a record
   * alone cannot fail an item while another worker may still take it.
   */
  @GuardedBy("lock")
  private boolean shouldFailLocked(WorkItem item) {
    if (!item.holders.isEmpty() || item.probe != null) {
      return false;
    }
    if (item.failures.size() >= 2
        && item.failures.keySet().stream().anyMatch(WorkerRecord::proven)) {
      return true;
    }
    for (WorkerConnection w : workers.values()) {
      if (couldTake(w, item)) {
        return false;
      }
    }
    return true;
  }

  @GuardedBy("lock")
  private void trainedLocked(
      WorkItem item, WorkerConnection worker, TrainResult result, long sentNanos) {
    String problem =
        ModelEnvelope.problem(result.getModel().toByteArray(), MAX_MODEL_BYTES).orElse(null);
    if (problem == null
        && result.hasValidationTau()
        && !(result.getValidationTau() >= -1 && result.getValidationTau() <= 1)) {
      problem = "validation_tau " + result.getValidationTau() + " is outside -1..1";
    }
    if (problem == null && result.getEpochs() < 0) {
      problem = "epochs " + result.getEpochs() + " is negative";
    }
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
  @GuardedBy("lock")
  private void probeLocked(WorkItem train, WorkItem.Candidate candidate) {
    String probeId = newId("p-");
    String modelId = "probe-" + probeId.substring(2);
    models.put(modelId, candidate.result().getModel().toByteArray());
    float[] features = train.probeFeatures;
    WorkItem probe =
        scoreItem(
            probeId,
            modelId,
            train.probeRows,
            train.width,
            4L * features.length,
            (batch, coded) -> addFeatures(batch, features));
    probe.probeOf = train;
    train.probe = probe;
    train.candidate = candidate;
    pending.put(probe.id, probe);
    queue.addFirst(probe);
    probe.queued = true;
    log.debug("Probing the model {} sent for {} ({})", candidate.trainerName(), train.id, probe.id);
  }

  /** A valid answer: completes the item (or, for a probe, the training job it checked). */
  @GuardedBy("lock")
  private void succeedLocked(WorkItem item, WorkerConnection worker, Object value, long sentNanos) {
    worker.record.completed++;
    worker.completed++;
    finishLocked(item, worker.record);
    if (item.probeOf == null) {
      listener.completed(
          item.kind == WorkItem.Kind.SCORE, item.rows, System.nanoTime() - sentNanos, worker.name);
      deferred.add(() -> item.result.complete(value));
      return;
    }
    WorkItem train = item.probeOf;
    WorkItem.Candidate candidate = train.candidate;
    train.probe = null;
    if (train.done()) {
      return;
    }
    candidate.trainer().completed++;
    finishLocked(train, candidate.trainer());
    listener.completed(
        false, train.rows, System.nanoTime() - candidate.sentNanos(), candidate.trainerName());
    deferred.add(() -> train.result.complete(candidate.result()));
  }

  /**
   * Removes a finished item, cancels its other copies and charges faults its completion
   * contradicts.
   */
  @GuardedBy("lock")
  private void finishLocked(WorkItem item, WorkerRecord by) {
    pending.remove(item.id);
    withdrawLocked(item);
    for (WorkerRecord r : item.invalid) {
      if (r != by) {
        faultLocked(r, "sent invalid scores for " + item.id + ", which another worker scored");
      }
    }
  }

  /** Fails an item (a probe's failure rejects the model it checked instead). */
  @GuardedBy("lock")
  private void failLocked(WorkItem item, Status status) {
    pending.remove(item.id);
    withdrawLocked(item);
    if (item.probeOf == null) {
      deferred.add(() -> item.result.completeExceptionally(status.asRuntimeException()));
      return;
    }
    WorkItem train = item.probeOf;
    WorkItem.Candidate candidate = train.candidate;
    train.probe = null;
    train.candidate = null;
    if (train.done()) {
      return;
    }
    rejected++;
    listener.resultRejected(DispatchListener.MODEL_PROBE);
    train.avoid.add(candidate.trainer());
    faultLocked(
        candidate.trainer(),
        "sent a model for " + train.id + " that failed its probe: " + status.getDescription());
    WorkItem.Candidate spare = train.spares.poll();
    if (spare != null) {
      probeLocked(train, spare);
    } else {
      rescheduleLocked(train);
    }
  }

  /** Takes an item out of the queue and off every stream that holds it (telling those streams). */
  @GuardedBy("lock")
  private void withdrawLocked(WorkItem item) {
    if (item.queued) {
      queue.remove(item);
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
      pending.remove(probe.id);
      withdrawLocked(probe);
    }
    if (item.probeOf != null) {
      unloadLocked(item.modelId);
      models.remove(item.modelId);
    }
  }

  @GuardedBy("lock")
  private void cancelOnLocked(WorkerConnection w, WorkItem item) {
    w.remember(item.id);
    if (!w.closed) {
      w.send(
          CoordinatorMessage.newBuilder()
              .setCancel(CancelWork.newBuilder().setWorkId(item.id))
              .build());
    }
  }

  /** Queues an item that nobody holds within its deadline any more, or gives up on it. */
  @GuardedBy("lock")
  private void rescheduleLocked(WorkItem item) {
    if (item.done()
        || item.queued
        || item.probe != null
        || !item.holders.isEmpty()
        || !pending.containsKey(item.id)) {
      return;
    }
    if (item.misses >= config.maxAttempts() || item.queueDeliveries >= config.maxDeliveries()) {
      String why =
          item.misses >= config.maxAttempts()
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
    redeliveries++;
    listener.redelivered();
    queue.addFirst(item);
    item.queued = true;
  }

  @GuardedBy("lock")
  private void faultLocked(WorkerRecord record, String why) {
    record.faults++;
    log.warn(
        "Worker {} {} (fault {} of {})",
        LogSafe.escape(record.workerId),
        why,
        record.faults,
        config.quarantineAfter());
    long now = System.nanoTime();
    if (record.faults < config.quarantineAfter() || record.quarantined(now)) {
      return;
    }
    record.faults = 0;
    record.quarantinedOnce = true;
    record.quarantinedUntilNanos = now + config.quarantineFor().toNanos();
    quarantines++;
    listener.workerQuarantined(LogSafe.escape(record.workerId));
    log.warn(
        "Worker {} quarantined for {} after {} faults",
        LogSafe.escape(record.workerId),
        config.quarantineFor(),
        config.quarantineAfter());
    WorkerConnection w = workers.get(record.key);
    if (w != null) {
      closeLocked(
          w,
          "quarantined",
          Status.PERMISSION_DENIED.withDescription(
              "Expected valid results for work this worker holds, but it sent "
                  + config.quarantineAfter()
                  + " forged or invalid ones; quarantined for "
                  + config.quarantineFor().toSeconds()
                  + " s"));
    }
  }

  /** Unregisters a stream and ends it with {@code status} once the lock is released. */
  @GuardedBy("lock")
  private void closeLocked(WorkerConnection w, String reason, Status status) {
    if (w.closed) {
      return;
    }
    unregisterLocked(w, reason);
    deferred.add(
        () -> {
          try {
            w.out.onError(status.asRuntimeException());
          } catch (RuntimeException ignored) {
            // The stream may already be gone.
          }
        });
  }

  /** The worker's stream ended (cleanly or not): its unfinished items go back to the queue. */
  public void unregister(WorkerConnection worker, String reason) {
    synchronized (lock) {
      unregisterLocked(worker, reason);
    }
    runDeferred();
  }

  @GuardedBy("lock")
  private void unregisterLocked(WorkerConnection worker, String reason) {
    if (worker.closed) {
      return;
    }
    worker.closed = true;
    workers.remove(worker.record.key, worker);
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
      rescheduleLocked(item);
    }
    listener.workersChanged(workers.size());
    listener.creditsChanged(worker.name, 0);
    listener.workerLeft(worker.name);
    log.info(
        "Worker {} disconnected ({}); {} item(s) back in the queue",
        worker.name,
        reason,
        back.size());
    // Failures that were waiting for someone else to try may now be final.
    for (WorkItem item : new ArrayList<>(pending.values())) {
      if (!item.failures.isEmpty()
          && !item.done()
          && item.holders.isEmpty()
          && shouldFailLocked(item)) {
        failLocked(item, item.failures.values().iterator().next());
      }
    }
    pumpLocked();
    listener.queueChanged(queue.size(), inFlightLocked());
  }

  private void checkTimeouts() {
    try {
      synchronized (lock) {
        long now = System.nanoTime();
        boolean changed = false;
        for (WorkerConnection w : new ArrayList<>(workers.values())) {
          for (WorkItem item : new ArrayList<>(w.inFlight.values())) {
            Long sent = item.holders.get(w);
            if (sent != null && now - sent - item.deadlineNanos > 0) {
              missLocked(w, item, sent);
              changed = true;
            }
          }
        }
        long timeout = config.workerTimeout().toNanos();
        for (WorkerConnection w : new ArrayList<>(workers.values())) {
          if (now - w.lastSeenNanos > timeout) {
            log.warn("Worker {} sent nothing for {}; dropping it", w.name, config.workerTimeout());
            closeLocked(w, "silent", Status.DEADLINE_EXCEEDED.withDescription("No heartbeat"));
          } else if (!w.late.isEmpty() && now - w.lateSinceNanos > timeout) {
            log.warn(
                "Worker {} held {} past its deadline for over {}; dropping it",
                w.name,
                w.late.keySet().iterator().next(),
                config.workerTimeout());
            closeLocked(
                w,
                "overdue",
                Status.DEADLINE_EXCEEDED.withDescription(
                    "Expected an answer for work past its deadline, but none came"));
          }
        }
        if (changed) {
          pumpLocked();
          listener.queueChanged(queue.size(), inFlightLocked());
        } else {
          backupLocked();
        }
      }
      runDeferred();
    } catch (RuntimeException e) {
      log.error("Expected to check dispatch deadlines, but failed", e);
    }
  }

  /**
   * A delivery passed its deadline: the worker keeps the credit and gets nothing new until it
   * answers.
   */
  @GuardedBy("lock")
  private void missLocked(WorkerConnection w, WorkItem item, long sent) {
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
    listener.deadlineMissed(item.kind == WorkItem.Kind.SCORE);
    log.debug("Worker {} missed the deadline of {}", w.name, item.id);
    rescheduleLocked(item);
  }

  @GuardedBy("lock")
  private void pumpLocked() {
    Iterator<WorkItem> it = queue.iterator();
    while (it.hasNext()) {
      WorkItem item = it.next();
      if (item.done()) {
        it.remove();
        item.queued = false;
        continue;
      }
      WorkerConnection target = chooseLocked(item, false);
      if (target == null) {
        if (workers.values().stream().anyMatch(WorkerConnection::free)) {
          continue; // This item fits no free worker (too many rows, or only workers it must avoid);
          // later items may.
        }
        break;
      }
      it.remove();
      item.queued = false;
      if (!sendLocked(target, item, false)) {
        it = queue.iterator(); // sendLocked failed the item, which may have changed the queue
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
  @GuardedBy("lock")
  private void backupLocked() {
    if (workers.values().stream().noneMatch(WorkerConnection::free)) {
      return;
    }
    long now = System.nanoTime();
    for (WorkItem item : new ArrayList<>(pending.values())) {
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
        backupCopies++;
        listener.backupDispatched();
      }
      if (workers.values().stream().noneMatch(WorkerConnection::free)) {
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
  @GuardedBy("lock")
  private WorkerConnection chooseLocked(WorkItem item, boolean backup) {
    boolean anyProven = backup && workers.values().stream().anyMatch(w -> w.record.proven());
    // A worker that missed or botched the item gets it again only when no other connected worker
    // could take it.
    boolean skipAvoided =
        backup
            || (!item.avoid.isEmpty()
                && workers.values().stream()
                    .anyMatch(w -> !item.avoid.contains(w.record) && couldTake(w, item)));
    WorkerConnection best = null;
    for (WorkerConnection w : workers.values()) {
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
  @GuardedBy("lock")
  private boolean couldTake(WorkerConnection w, WorkItem item) {
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
  private static final Comparator<Pick> PREFERENCE =
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
  @GuardedBy("lock")
  private boolean mayTake(WorkerConnection w, WorkItem item) {
    if (item.probeOf == null
        || item.probeOf.candidate == null
        || w.record != item.probeOf.candidate.trainer()) {
      return true;
    }
    WorkerRecord trainer = w.record;
    return workers.values().stream()
        .noneMatch(o -> o.record != trainer && !o.closed && o.record.proven());
  }

  /** Writes an item to a worker; false when the item failed instead (its model was released). */
  @GuardedBy("lock")
  private boolean sendLocked(WorkerConnection worker, WorkItem item, boolean backup) {
    if (item.modelId != null && !worker.loadedModels.contains(item.modelId)) {
      if (!models.contains(item.modelId)) {
        failLocked(
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
                      .setModel(ByteString.copyFrom(models.get(item.modelId))))
              .build());
      worker.loadedModels.add(item.modelId);
      listener.modelShipped(worker.name);
    }
    item.deliveries++;
    if (!backup) {
      item.queueDeliveries++;
    }
    item.holders.put(worker, System.nanoTime());
    worker.credits--;
    worker.inFlight.put(item.id, item);
    worker.send(item.message.forAttempt(item.deliveries, worker.acceptsCodedRows));
    listener.creditsChanged(worker.name, worker.credits);
    listener.dispatched(item.kind == WorkItem.Kind.SCORE, item.deliveries > 1);
    return true;
  }

  @GuardedBy("lock")
  private int inFlightLocked() {
    int n = 0;
    for (WorkerConnection w : workers.values()) {
      n += w.inFlight.size();
    }
    return n;
  }

  private void runDeferred() {
    List<Runnable> todo;
    synchronized (lock) {
      if (deferred.isEmpty()) {
        return;
      }
      todo = new ArrayList<>(deferred);
      deferred.clear();
    }
    for (Runnable r : todo) {
      r.run();
    }
  }

  /** A point-in-time view for status pages and tests. */
  public Snapshot snapshot() {
    synchronized (lock) {
      List<WorkerView> views = new ArrayList<>();
      for (WorkerConnection w : workers.values()) {
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
          queue.size(),
          inFlightLocked(),
          views,
          duplicatesDropped,
          redeliveries,
          forgeries,
          rejected,
          quarantines,
          backupCopies);
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
}
