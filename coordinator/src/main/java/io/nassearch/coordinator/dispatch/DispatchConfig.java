package io.nassearch.coordinator.dispatch;

import java.time.Duration;

/**
 * Dispatcher settings.
 *
 * @param scoreDeadline time a worker has for one score batch before it is sent elsewhere
 * @param trainDeadline time a worker has for one training job before it is sent elsewhere
 * @param maxAttempts deliveries of one item before it fails with UNAVAILABLE
 * @param heartbeatInterval how often workers are asked to send a heartbeat
 * @param workerTimeout silence after which a worker is considered dead and its work is redelivered
 */
public record DispatchConfig(
    Duration scoreDeadline,
    Duration trainDeadline,
    int maxAttempts,
    Duration heartbeatInterval,
    Duration workerTimeout) {

  public DispatchConfig {
    requirePositive(scoreDeadline, "scoreDeadline");
    requirePositive(trainDeadline, "trainDeadline");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(workerTimeout, "workerTimeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  public static DispatchConfig defaults() {
    return new DispatchConfig(
        Duration.ofSeconds(30), Duration.ofMinutes(10), 5, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public DispatchConfig withScoreDeadline(Duration deadline) {
    return new DispatchConfig(deadline, trainDeadline, maxAttempts, heartbeatInterval, workerTimeout);
  }

  public DispatchConfig withWorkerTimeout(Duration timeout) {
    return new DispatchConfig(scoreDeadline, trainDeadline, maxAttempts, heartbeatInterval, timeout);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
