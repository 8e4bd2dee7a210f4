package io.nassearch.worker.stream;

import com.google.protobuf.util.Durations;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.nassearch.api.auth.BearerToken;
import io.nassearch.api.v1.CoordinatorMessage;
import io.nassearch.api.v1.CreditGrant;
import io.nassearch.api.v1.Heartbeat;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.api.v1.WorkerServiceGrpc;
import io.nassearch.worker.jobs.SurrogateJobs;
import java.time.Duration;
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
 * A worker's connection to its coordinator: dials in, says Hello, grants credits, and hands the
 * score batches and training jobs it receives to {@link SurrogateJobs}, sending back what they
 * return.
 *
 * <p>Credits: after the coordinator's Welcome the worker grants {@code parallelism x
 * creditsPerSlot} credits; as items finish it grants enough to keep the {@link CreditWindow} (sized
 * from the measured refill latency and compute time) full, so the coordinator never has more items
 * outstanding here than the worker asked for. {@link WorkExecutor} runs the work.
 *
 * <p>Reconnect: when the stream ends for any reason other than {@link #close()}, the worker dials
 * again after {@link WorkerOptions#backoff()} delays that grow until a handshake succeeds and then
 * start over. Models are loaded again on each new stream (the coordinator resends them); results of
 * work from an old stream are dropped, since the coordinator already gave that work to someone
 * else.
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
  private final ScheduledExecutorService timer;
  private final SurrogateJobs jobs;
  private final WorkExecutor work;
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
    this.timer =
        Executors.newSingleThreadScheduledExecutor(WorkExecutor.daemonThreads("worker-timer"));
    this.jobs =
        new SurrogateJobs(
            options.workerId(),
            options.scoringRuntime(),
            new SurrogateJobs.Observer() {
              @Override
              public void modelLoaded() {
                listener.modelLoaded();
              }

              @Override
              public void batchScored(int rows, long nanos) {
                listener.batchScored(rows, nanos);
              }

              @Override
              public void trained(long nanos) {
                listener.trained(nanos);
              }
            });
    this.work = new WorkExecutor(jobs, options.parallelism());
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
  private final class Stream
      implements ClientResponseObserver<WorkerMessage, CoordinatorMessage>, WorkExecutor.Origin {
    private ClientCallStreamObserver<WorkerMessage> out;
    volatile boolean welcomed;
    private ScheduledFuture<?> heartbeat;
    final CreditWindow credits =
        new CreditWindow(
            options.parallelism(),
            options.creditsPerSlot(),
            Math.max(options.creditsPerSlot(), MAX_CREDITS_PER_SLOT));

    @Override
    public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
      this.out = requestStream;
    }

    @Override
    public void onNext(CoordinatorMessage message) {
      switch (message.getKindCase()) {
        case WELCOME -> welcome(message);
        case LOAD_MODEL -> jobs.load(message.getLoadModel());
        case SCORE_BATCH -> {
          credits.arrived(System.nanoTime());
          work.score(message.getScoreBatch(), this);
        }
        case TRAIN_JOB -> {
          credits.arrived(System.nanoTime());
          work.train(message.getTrainJob(), this);
        }
        case CANCEL -> work.cancel(message.getCancel().getWorkId());
        case UNLOAD_MODEL -> jobs.unload(message.getUnloadModel().getModelId());
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
              () ->
                  send(
                      WorkerMessage.newBuilder()
                          .setHeartbeat(Heartbeat.getDefaultInstance())
                          .build()),
              every,
              every,
              TimeUnit.MILLISECONDS);
      int granted = credits.open(System.nanoTime());
      send(credit(granted));
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

    @Override
    public void send(WorkerMessage message) {
      WorkerClient.this.send(this, message);
    }

    @Override
    public void finished(long computeNanos) {
      int before = credits.target();
      int grant = credits.finished(computeNanos, System.nanoTime());
      if (grant > 0) {
        send(credit(grant));
      }
      int after = credits.target();
      if (after != before) {
        listener.creditWindow(after);
        log.debug("Worker {} credit window {} -> {}", options.workerId(), before, after);
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

  /** Writes on the given stream; drops the message if that stream is gone. */
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

  /**
   * Graceful stop: waits up to the drain timeout for work in progress to finish and be reported,
   * then closes the stream. Work still queued on the coordinator goes to other workers.
   */
  @Override
  public void close() {
    work.drain(options.drainTimeout());
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
    work.shutdownNow();
    timer.shutdownNow();
    jobs.close();
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
    work.shutdownNow();
    timer.shutdownNow();
  }
}
