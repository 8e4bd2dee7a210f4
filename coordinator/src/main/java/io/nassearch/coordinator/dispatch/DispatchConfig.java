package io.nassearch.coordinator.dispatch;

import java.time.Duration;

/**
 * Dispatcher settings. Deadlines scale with the work: a score batch gets {@code max(scoreDeadline,
 * rows x scorePerRow)}, a training job {@code max(trainDeadline, rows x epochs x
 * trainPerRowEpoch)}.
 *
 * @param scoreDeadline least time a worker has for one score batch before it is sent elsewhere
 * @param trainDeadline least time a worker has for one training job before it is sent elsewhere
 * @param maxAttempts deliveries of one item that may end without an answer on workers with a record
 *     of finishing (deadline passed, worker left) before it fails with UNAVAILABLE
 * @param heartbeatInterval how often workers are asked to send a heartbeat
 * @param workerTimeout silence after which a worker is considered dead and its work is redelivered
 * @param scorePerRow deadline per row of a score batch
 * @param trainPerRowEpoch deadline per row and epoch of a training job
 * @param maxDeliveries deliveries of one item from the queue, on any workers, before it fails with
 *     UNAVAILABLE
 * @param quarantineAfter faults (forged or invalid results) after which a worker is disconnected
 *     and refused
 * @param quarantineFor how long a quarantined worker (id and credential) is refused
 * @param maxAbsScore largest score magnitude accepted; larger or non-finite scores are invalid
 *     results
 */
public record DispatchConfig(
    Duration scoreDeadline,
    Duration trainDeadline,
    int maxAttempts,
    Duration heartbeatInterval,
    Duration workerTimeout,
    Duration scorePerRow,
    Duration trainPerRowEpoch,
    int maxDeliveries,
    int quarantineAfter,
    Duration quarantineFor,
    double maxAbsScore) {

  public DispatchConfig {
    requirePositive(scoreDeadline, "scoreDeadline");
    requirePositive(trainDeadline, "trainDeadline");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(workerTimeout, "workerTimeout");
    requirePositive(scorePerRow, "scorePerRow");
    requirePositive(trainPerRowEpoch, "trainPerRowEpoch");
    requirePositive(quarantineFor, "quarantineFor");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (maxDeliveries < maxAttempts) {
      throw new IllegalArgumentException(
          "maxDeliveries must be >= maxAttempts, got " + maxDeliveries);
    }
    if (quarantineAfter < 1) {
      throw new IllegalArgumentException("quarantineAfter must be >= 1, got " + quarantineAfter);
    }
    if (!(maxAbsScore > 0) || Double.isInfinite(maxAbsScore)) {
      throw new IllegalArgumentException(
          "maxAbsScore must be positive and finite, got " + maxAbsScore);
    }
  }

  public static DispatchConfig defaults() {
    return new DispatchConfig(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        5,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMillis(1),
        Duration.ofNanos(250_000),
        64,
        3,
        Duration.ofMinutes(5),
        1e9);
  }

  /** The deadline of a score batch of {@code rows} rows. */
  public Duration scoreDeadlineFor(int rows) {
    return max(scoreDeadline, scorePerRow.multipliedBy(Math.max(0, rows)));
  }

  /** The deadline of a training job on {@code rows} rows for {@code epochs} epochs. */
  public Duration trainDeadlineFor(int rows, int epochs) {
    return max(
        trainDeadline,
        trainPerRowEpoch.multipliedBy((long) Math.max(0, rows) * Math.max(1, epochs)));
  }

  public DispatchConfig withScoreDeadline(Duration deadline) {
    return withDeadlines(deadline, trainDeadline);
  }

  public DispatchConfig withTrainDeadline(Duration deadline) {
    return withDeadlines(scoreDeadline, deadline);
  }

  private DispatchConfig withDeadlines(Duration score, Duration train) {
    return new DispatchConfig(
        score,
        train,
        maxAttempts,
        heartbeatInterval,
        workerTimeout,
        scorePerRow,
        trainPerRowEpoch,
        maxDeliveries,
        quarantineAfter,
        quarantineFor,
        maxAbsScore);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
