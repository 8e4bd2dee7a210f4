package io.nassearch.worker.stream;

import java.time.Duration;

/** Delay before the next reconnect attempt, given the previous delay (zero for the first retry). */
@FunctionalInterface
public interface Backoff {
  Duration next(Duration previous);

  /** Doubles from {@code initial} up to {@code max}, with up to 20% random jitter. */
  static Backoff exponential(Duration initial, Duration max) {
    return previous -> {
      long base =
          previous.isZero()
              ? initial.toMillis()
              : Math.min(max.toMillis(), previous.toMillis() * 2);
      long jitter =
          (long) (base * 0.2 * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
      return Duration.ofMillis(Math.min(max.toMillis(), base + jitter));
    };
  }
}
