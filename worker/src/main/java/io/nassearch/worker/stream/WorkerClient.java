package io.nassearch.worker.stream;

import io.nassearch.api.auth.BearerToken;
import io.nassearch.api.codes.CodedLayout;
import com.google.protobuf.ByteString;
import com.google.protobuf.Internal;
import com.google.protobuf.util.Durations;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.nassearch.api.v1.CodedRows;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.CreditGrant;
import io.nassearch.api.v1.Heartbeat;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.LoadModel;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.worker.surrogate.ModelFormatException;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.concurrent.GuardedBy;
import javax.annotation.concurrent.ThreadSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's connection to its coordinator: dials in, says Hello, grants credits, and runs the score
 * batches and training jobs it receives.
 *
 * <p>Credits: after the coordinator's Welcome the worker grants {@code parallelism x creditsPerSlot}
 * credits; as items finish it grants enough to keep the {@link CreditWindow} (sized from the measured
 * refill latency and compute time) full, so the coordinator never has more items outstanding here than
 * the worker asked for. Score batches run on a pool of {@code parallelism}
 * threads; training jobs on their own thread, so a long training never blocks scoring.
 *
 * <p>Reconnect: when the stream ends for any reason other than {@link #close()}, the worker dials
 * again after {@link WorkerOptions#backoff()} delays that grow until a handshake succeeds and then
 * start over. Models are loaded again on each new stream (the coordinator resends them); results of
 * work from an old stream are dropped, since the coordinator already gave that work to someone else.
 *
 * <p>Threading: writes to the stream are serialised on {@link #lock}.
 */
@ThreadSafe
public final class WorkerClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerClient.class);
  private static final String VERSION = "0.1.0";
  /** Upper bound of the latency-sized credit window, per parallel slot. */
  private static final int MAX_CREDITS_PER_SLOT = 8;

  private final ManagedChannel channel;
  private final WorkerOptions options;
  private final ExecutorService scorePool;
  private final ExecutorService trainPool;
  private final ScheduledExecutorService timer;
  private final Map<String, Surrogate> models = new ConcurrentHashMap<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger connects = new AtomicInteger();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private Stream stream;

  @GuardedBy("lock")
  private Duration delay = Duration.ZERO;

  @GuardedBy("lock")
  private boolean closing;

  private volatile WorkerListener listener = WorkerListener.NONE;
  private volatile CallCredentials credentials;

  public WorkerClient(ManagedChannel channel, WorkerOptions options) {
    this.channel = channel;
    this.options = options;
    this.scorePool = Executors.newFixedThreadPool(options.parallelism(), daemon("score"));
    this.trainPool = Executors.newSingleThreadExecutor(daemon("train"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("worker-timer"));
  }

  public WorkerClient listener(WorkerListener l) {
    this.listener = l;
    return this;
  }

  /** Credentials sent on every Connect stream, e.g. {@link BearerToken#of}; none by default. */
  public WorkerClient credentials(CallCredentials c) {
    this.credentials = c;
    return this;
  }

  public WorkerClient start() {
    synchronized (lock) {
      openLocked();
    }
    return this;
  }

  public String workerId() {
    return options.workerId();
  }

  /** Number of streams opened so far (1 + reconnects). */
  public int connects() {
    return connects.get();
  }

  /** Whether a stream is open and the coordinator has welcomed this worker. */
  public boolean isConnected() {
    synchronized (lock) {
      return stream != null && stream.welcomed;
    }
  }

  @GuardedBy("lock")
  private void openLocked() {
    Stream s = new Stream();
    stream = s;
    connects.incrementAndGet();
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel);
    CallCredentials c = credentials;
    (c == null ? stub : stub.withCallCredentials(c)).connect(s);
    // Hello goes first; nothing else is written before the coordinator's Welcome.
    s.out.onNext(
        WorkerMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setWorkerId(options.workerId())
                    .setDevice(options.device())
                    .setVersion(VERSION)
                    .setMaxBatchRows(options.maxBatchRows())
                    .setParallelism(options.parallelism())
                    .setAcceptsCodedRows(true))
            .build());
  }

  /** One stream's lifetime; callbacks from an old stream are ignored once it is replaced. */
  private final class Stream implements ClientResponseObserver<WorkerMessage, CoordinatorMessage> {
    private ClientCallStreamObserver<WorkerMessage> out;
    volatile boolean welcomed;
    private ScheduledFuture<?> heartbeat;
    final CreditWindow credits = new CreditWindow(options.parallelism(), options.creditsPerSlot(),
        Math.max(options.creditsPerSlot(), MAX_CREDITS_PER_SLOT));

    @Override
    public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
      this.out = requestStream;
    }

    @Override
    public void onNext(CoordinatorMessage message) {
      switch (message.getKindCase()) {
        case WELCOME -> welcome(message);
        case LOAD_MODEL -> load(message.getLoadModel());
        case SCORE_BATCH -> {
          ScoreBatch batch = message.getScoreBatch();
          credits.arrived(System.nanoTime());
          inProgress.incrementAndGet();
          scorePool.execute(() -> score(this, batch));
        }
        case TRAIN_JOB -> {
          TrainJob job = message.getTrainJob();
          credits.arrived(System.nanoTime());
          inProgress.incrementAndGet();
          trainPool.execute(() -> train(this, job));
        }
        case CANCEL -> cancelled.add(message.getCancel().getWorkId());
        case UNLOAD_MODEL -> unload(message.getUnloadModel().getModelId());
        default -> log.warn("Worker {} ignored an empty coordinator message", options.workerId());
      }
    }

    private void welcome(CoordinatorMessage message) {
      welcomed = true;
      synchronized (lock) {
        delay = Duration.ZERO;
      }
      long every = Math.max(100, Durations.toMillis(message.getWelcome().getHeartbeatInterval()));
      heartbeat =
          timer.scheduleAtFixedRate(
              () -> send(this, WorkerMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build()),
              every,
              every,
              TimeUnit.MILLISECONDS);
      int granted = credits.open(System.nanoTime());
      send(this, credit(granted));
      listener.creditWindow(credits.target());
      log.info("Worker {} connected, granted {} credits", options.workerId(), granted);
      listener.connected();
    }

    @Override
    public void onError(Throwable t) {
      ended(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended(Status.OK);
    }

    private void ended(Status status) {
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
      listener.disconnected();
      synchronized (lock) {
        if (stream != this) {
          return;
        }
        stream = null;
        if (closing) {
          return;
        }
        delay = options.backoff().next(delay);
        log.warn(
            "Worker {} lost its coordinator stream ({}: {}); reconnecting in {} ms",
            options.workerId(),
            status.getCode(),
            status.getDescription(),
            delay.toMillis());
        timer.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void reconnect() {
      synchronized (lock) {
        if (!closing && stream == null) {
          listener.reconnecting();
          openLocked();
        }
      }
    }
  }

  private void load(LoadModel load) {
    if (models.containsKey(load.getModelId())) {
      return; // Model ids name immutable content; a resend after a reconnect needs no reload.
    }
    try {
      Surrogate model = Surrogate.fromBytes(load.getModel().toByteArray(), options.scoringRuntime());
      models.put(load.getModelId(), model);
      listener.modelLoaded();
      log.debug("Worker {} loaded model {}", options.workerId(), load.getModelId());
    } catch (ModelFormatException e) {
      // Batches for this model will fail with FAILED_PRECONDITION, naming the cause.
      log.error("Expected a loadable model {}, but {}", load.getModelId(), e.getMessage());
    }
  }

  private void unload(String modelId) {
    Surrogate model = models.remove(modelId);
    if (model != null) {
      model.close(); // waits for a batch still scoring with it
      log.debug("Worker {} unloaded model {}", options.workerId(), modelId);
    }
  }

  private void score(Stream origin, ScoreBatch batch) {
    long computeNanos = -1;
    try {
      if (cancelled.remove(batch.getBatchId())) {
        return;
      }
      Surrogate model = models.get(batch.getModelId());
      if (model == null) {
        fail(origin, batch.getBatchId(), batch.getAttempt(), Status.Code.FAILED_PRECONDITION, "model " + batch.getModelId() + " is not loaded");
        return;
      }
      long start;
      float[] scores;
      if (batch.hasCoded()) {
        CodedRows coded = batch.getCoded();
        CodedLayout layout = CodedLayout.of(coded.getOneHotDepthsList());
        start = System.nanoTime();
        scores = model.scoreCoded(coded.getCodes().asReadOnlyByteBuffer(), batch.getRows(), layout);
      } else {
        if (batch.getWidth() != model.inputWidth() || batch.getFeaturesCount() != (long) batch.getRows() * batch.getWidth()) {
          fail(origin, batch.getBatchId(), batch.getAttempt(), Status.Code.INVALID_ARGUMENT,
              "expected " + batch.getRows() + " rows of width " + model.inputWidth() + ", got " + batch.getFeaturesCount() + " values of width " + batch.getWidth());
          return;
        }
        float[] features = toArray((Internal.FloatList) batch.getFeaturesList());
        start = System.nanoTime();
        scores = model.score(features, batch.getRows());
      }
      long elapsed = System.nanoTime() - start;
      computeNanos = elapsed;
      listener.batchScored(batch.getRows(), elapsed);
      ScoreResult.Builder result =
          ScoreResult.newBuilder()
              .setBatchId(batch.getBatchId())
              .setAttempt(batch.getAttempt())
              .setComputeTime(Durations.fromNanos(elapsed));
      for (float s : scores) {
        result.addScores(s); // unboxed, unlike addAllScores(List<Float>)
      }
      send(origin, WorkerMessage.newBuilder().setScoreResult(result).build());
    } catch (IllegalArgumentException e) {
      fail(origin, batch.getBatchId(), batch.getAttempt(), Status.Code.INVALID_ARGUMENT, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Expected to score batch {}, but failed", batch.getBatchId(), e);
      fail(origin, batch.getBatchId(), batch.getAttempt(), Status.Code.INTERNAL, e.toString());
    } finally {
      done(origin, computeNanos);
    }
  }

  private void train(Stream origin, TrainJob job) {
    try {
      if (cancelled.remove(job.getJobId())) {
        return;
      }
      SurrogateConfig config = SurrogateConfig.fromProto(job.getSpec());
      float[] features = toArray((Internal.FloatList) job.getFeaturesList());
      float[] targets = toArray((Internal.FloatList) job.getTargetsList());
      log.info("Worker {} training {} on {} rows ({} loss)", options.workerId(), job.getJobId(), job.getRows(), config.loss());
      Surrogate warmStart = null;
      if (!job.getWarmStartModel().isEmpty()) {
        try {
          warmStart = Surrogate.fromBytes(job.getWarmStartModel().toByteArray());
        } catch (ModelFormatException e) {
          log.warn("Job {}: the warm-start model is unreadable ({}); training from a random start", job.getJobId(), e.getMessage());
        }
      }
      SurrogateTrainer.TrainingOutcome outcome;
      try {
        outcome = SurrogateTrainer.train(config, features, job.getRows(), job.getWidth(), targets, job.getSeed(),
            SurrogateRuntime.singleThreaded(), warmStart);
      } finally {
        if (warmStart != null) {
          warmStart.close();
        }
      }
      byte[] bytes;
      try (Surrogate model = outcome.model()) {
        bytes = model.toBytes();
      }
      listener.trained(outcome.trainTime().toNanos());
      TrainResult.Builder result =
          TrainResult.newBuilder()
              .setJobId(job.getJobId())
              .setAttempt(job.getAttempt())
              .setModel(ByteString.copyFrom(bytes))
              .setEpochs(outcome.epochs())
              .setTrainTime(Durations.fromNanos(outcome.trainTime().toNanos()));
      if (!Double.isNaN(outcome.validationTau())) {
        result.setValidationTau(outcome.validationTau());
      }
      send(origin, WorkerMessage.newBuilder().setTrainResult(result).build());
    } catch (IllegalArgumentException e) {
      fail(origin, job.getJobId(), job.getAttempt(), Status.Code.INVALID_ARGUMENT, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Expected to train {}, but failed", job.getJobId(), e);
      fail(origin, job.getJobId(), job.getAttempt(), Status.Code.INTERNAL, e.toString());
    } finally {
      done(origin, -1);
    }
  }

  private void done(Stream origin, long computeNanos) {
    inProgress.decrementAndGet();
    int before = origin.credits.target();
    int grant = origin.credits.finished(computeNanos, System.nanoTime());
    if (grant > 0) {
      send(origin, credit(grant));
    }
    int after = origin.credits.target();
    if (after != before) {
      listener.creditWindow(after);
      log.debug("Worker {} credit window {} -> {}", options.workerId(), before, after);
    }
  }

  private void fail(Stream origin, String workId, int attempt, Status.Code code, String message) {
    send(
        origin,
        WorkerMessage.newBuilder()
            .setFailure(
                WorkFailure.newBuilder()
                    .setWorkId(workId)
                    .setAttempt(attempt)
                    .setCode(code.value())
                    .setMessage(message == null ? "" : message))
            .build());
  }

  /** Writes on the stream the work came from; drops the message if that stream is gone. */
  private void send(Stream origin, WorkerMessage message) {
    synchronized (lock) {
      if (stream != origin || origin.out == null) {
        return;
      }
      try {
        origin.out.onNext(message);
      } catch (RuntimeException e) {
        log.debug("Worker {} could not write to its stream: {}", options.workerId(), e.toString());
      }
    }
  }

  private static WorkerMessage credit(int n) {
    return WorkerMessage.newBuilder().setCredit(CreditGrant.newBuilder().setCredits(n)).build();
  }

  private static float[] toArray(Internal.FloatList list) {
    float[] a = new float[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.getFloat(i);
    }
    return a;
  }

  /**
   * Graceful stop: waits up to the drain timeout for work in progress to finish and be reported,
   * then closes the stream. Work still queued on the coordinator goes to other workers.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    while (inProgress.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (lock) {
      closing = true;
      if (stream != null && stream.out != null) {
        try {
          stream.out.onCompleted();
        } catch (RuntimeException ignored) {
          // Already closed.
        }
      }
      stream = null;
    }
    scorePool.shutdownNow();
    trainPool.shutdownNow();
    timer.shutdownNow();
    for (Surrogate m : models.values()) {
      m.close();
    }
    models.clear();
  }

  /** Drops the stream without a goodbye, as a crash would; for fault tests. */
  public void abort() {
    synchronized (lock) {
      closing = true;
      if (stream != null && stream.out != null) {
        stream.out.cancel("aborted", null);
      }
      stream = null;
    }
    scorePool.shutdownNow();
    trainPool.shutdownNow();
    timer.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
