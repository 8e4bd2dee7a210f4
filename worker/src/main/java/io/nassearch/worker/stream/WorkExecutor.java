package io.nassearch.worker.stream;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.ScoreResult;
import io.nassearch.api.v1.TrainJob;
import io.nassearch.api.v1.WorkFailure;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.worker.jobs.SurrogateJobs;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.concurrent.ThreadSafe;

/**
 * Runs the work a stream hands over: score batches on a pool of {@code parallelism} threads,
 * training jobs on their own thread (so a long training never blocks scoring), each answered with
 * its result or a {@link WorkFailure} to where it came from. Work cancelled before it starts is
 * dropped.
 */
@ThreadSafe
final class WorkExecutor {
  /** Where a piece of work came from: its stream. */
  interface Origin {
    /** Sends a result or failure back; dropped when the stream is gone. */
    void send(WorkerMessage message);

    /** The work is over, reported or not; {@code computeNanos} is -1 when unknown. */
    void finished(long computeNanos);
  }

  private final SurrogateJobs jobs;
  private final ExecutorService scorePool;
  private final ExecutorService trainPool;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inProgress = new AtomicInteger();

  WorkExecutor(SurrogateJobs jobs, int parallelism) {
    this.jobs = jobs;
    this.scorePool = Executors.newFixedThreadPool(parallelism, daemonThreads("score"));
    this.trainPool = Executors.newSingleThreadExecutor(daemonThreads("train"));
  }

  void score(ScoreBatch batch, Origin origin) {
    inProgress.incrementAndGet();
    scorePool.execute(() -> runScore(batch, origin));
  }

  void train(TrainJob job, Origin origin) {
    inProgress.incrementAndGet();
    trainPool.execute(() -> runTrain(job, origin));
  }

  void cancel(String workId) {
    cancelled.add(workId);
  }

  /** Waits up to {@code timeout} for the work in progress to finish. */
  void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inProgress.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  void shutdownNow() {
    scorePool.shutdownNow();
    trainPool.shutdownNow();
  }

  private void runScore(ScoreBatch batch, Origin origin) {
    long computeNanos = -1;
    try {
      if (cancelled.remove(batch.getBatchId())) {
        return;
      }
      ScoreResult result = jobs.score(batch);
      computeNanos = Durations.toNanos(result.getComputeTime());
      origin.send(WorkerMessage.newBuilder().setScoreResult(result).build());
    } catch (SurrogateJobs.JobFailure e) {
      origin.send(failure(batch.getBatchId(), batch.getAttempt(), e.code(), e.getMessage()));
    } finally {
      finished(origin, computeNanos);
    }
  }

  private void runTrain(TrainJob job, Origin origin) {
    try {
      if (cancelled.remove(job.getJobId())) {
        return;
      }
      origin.send(WorkerMessage.newBuilder().setTrainResult(jobs.train(job)).build());
    } catch (SurrogateJobs.JobFailure e) {
      origin.send(failure(job.getJobId(), job.getAttempt(), e.code(), e.getMessage()));
    } finally {
      finished(origin, -1);
    }
  }

  private void finished(Origin origin, long computeNanos) {
    inProgress.decrementAndGet();
    origin.finished(computeNanos);
  }

  private static WorkerMessage failure(
      String workId, int attempt, Status.Code code, String message) {
    return WorkerMessage.newBuilder()
        .setFailure(
            WorkFailure.newBuilder()
                .setWorkId(workId)
                .setAttempt(attempt)
                .setCode(code.value())
                .setMessage(message == null ? "" : message))
        .build();
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
