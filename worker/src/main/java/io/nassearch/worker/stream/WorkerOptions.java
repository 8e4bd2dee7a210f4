package io.nassearch.worker.stream;

import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.time.Duration;

/**
 * How a worker talks to its coordinator.
 *
 * @param workerId unique id of this worker process
 * @param device device description sent in Hello, e.g. "cpu" or "gpu:NVIDIA H100"
 * @param parallelism score batches run at once
 * @param creditsPerSlot credits per parallel slot at the start, and the least the latency-sized
 *     window keeps (2 keeps the next batch queued while one runs)
 * @param maxBatchRows largest ScoreBatch accepted
 * @param backoff reconnect delay policy; reset after each successful handshake
 * @param drainTimeout how long a graceful shutdown waits for work in progress
 * @param scoringRuntime TensorFlow threads per loaded model; training always runs single-threaded
 *     so that a model trained on any worker is bit-for-bit the same
 */
public record WorkerOptions(
    String workerId,
    String device,
    int parallelism,
    int creditsPerSlot,
    int maxBatchRows,
    Backoff backoff,
    Duration drainTimeout,
    SurrogateRuntime scoringRuntime) {

  public WorkerOptions {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("workerId is required");
    }
    if (parallelism < 1 || creditsPerSlot < 1 || maxBatchRows < 1) {
      throw new IllegalArgumentException(
          "parallelism, creditsPerSlot and maxBatchRows must be >= 1");
    }
  }

  public static WorkerOptions defaults(String workerId) {
    return new WorkerOptions(
        workerId,
        "cpu",
        1,
        2,
        65_536,
        Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(10)),
        Duration.ofSeconds(30),
        SurrogateRuntime.singleThreaded());
  }

  public WorkerOptions withParallelism(int n) {
    return new WorkerOptions(
        workerId, device, n, creditsPerSlot, maxBatchRows, backoff, drainTimeout, scoringRuntime);
  }

  public WorkerOptions withDevice(String d) {
    return new WorkerOptions(
        workerId,
        d,
        parallelism,
        creditsPerSlot,
        maxBatchRows,
        backoff,
        drainTimeout,
        scoringRuntime);
  }

  public WorkerOptions withBackoff(Backoff b) {
    return new WorkerOptions(
        workerId,
        device,
        parallelism,
        creditsPerSlot,
        maxBatchRows,
        b,
        drainTimeout,
        scoringRuntime);
  }

  public WorkerOptions withScoringRuntime(SurrogateRuntime r) {
    return new WorkerOptions(
        workerId, device, parallelism, creditsPerSlot, maxBatchRows, backoff, drainTimeout, r);
  }
}
