package io.nassearch.worker.stream;

import java.util.ArrayDeque;
import javax.annotation.concurrent.ThreadSafe;

/**
 * How many work items a worker lets its coordinator have outstanding on one stream, sized from
 * measured latency so that a slot finishing a batch finds the next one already here.
 *
 * <p>A credit granted now turns into a batch after the refill latency {@code r} (the coordinator's
 * queue, its encoding and the network); meanwhile a slot gets through {@code r / c} batches of
 * compute time {@code c}. So the window is {@code parallelism x (2 + ceil(r / c))}: one running,
 * one waiting, and enough to cover the refill, clamped to {@code [parallelism x minPerSlot,
 * parallelism x maxPerSlot]}. {@code r} is the smallest grant-to-arrival time among the last
 * {@value #SAMPLES} arrivals (matched first in, first out), so time the coordinator had nothing to
 * send does not count; {@code c} is a moving average. The window shrinks by granting less when
 * items finish.
 */
@ThreadSafe
final class CreditWindow {
  static final int SAMPLES = 64;

  private final int parallelism;
  private final int min;
  private final int max;
  private final ArrayDeque<Long> grantTimes = new ArrayDeque<>();
  private final long[] latencies = new long[SAMPLES];
  private int latencyCount;
  private int latencyNext;
  private double computeNanos = Double.NaN;
  private int outstanding; // granted, not yet arrived
  private int held; // arrived, not yet finished
  private int target;

  CreditWindow(int parallelism, int minPerSlot, int maxPerSlot) {
    if (parallelism < 1 || minPerSlot < 1 || maxPerSlot < minPerSlot) {
      throw new IllegalArgumentException("need parallelism >= 1 and 1 <= minPerSlot <= maxPerSlot");
    }
    this.parallelism = parallelism;
    this.min = parallelism * minPerSlot;
    this.max = parallelism * maxPerSlot;
    this.target = min;
  }

  /** Credits to grant when the stream opens; they are recorded as granted. */
  synchronized int open(long now) {
    return grantLocked(target - outstanding - held, now);
  }

  /** A work item arrived (it consumed the oldest credit). */
  synchronized void arrived(long now) {
    Long granted = grantTimes.pollFirst();
    if (granted != null) {
      latencies[latencyNext] = now - granted;
      latencyNext = (latencyNext + 1) % SAMPLES;
      latencyCount = Math.min(SAMPLES, latencyCount + 1);
      outstanding--;
    }
    held++;
  }

  /**
   * A work item finished; {@code computeNanos} is its compute time (negative when it says nothing
   * about scoring, e.g. a training job). Returns the credits to grant now, recorded as granted.
   */
  synchronized int finished(long computeNanos, long now) {
    held = Math.max(0, held - 1);
    if (computeNanos >= 0) {
      this.computeNanos =
          Double.isNaN(this.computeNanos)
              ? computeNanos
              : 0.8 * this.computeNanos + 0.2 * computeNanos;
    }
    target = targetLocked();
    return grantLocked(target - outstanding - held, now);
  }

  synchronized int target() {
    return target;
  }

  private int targetLocked() {
    if (latencyCount == 0 || Double.isNaN(computeNanos)) {
      return min;
    }
    long refill = Long.MAX_VALUE;
    for (int i = 0; i < latencyCount; i++) {
      refill = Math.min(refill, latencies[i]);
    }
    double perSlot = 2 + Math.ceil(refill / Math.max(1.0, computeNanos));
    return (int) Math.max(min, Math.min(max, parallelism * perSlot));
  }

  private int grantLocked(int n, long now) {
    if (n <= 0) {
      return 0;
    }
    for (int i = 0; i < n; i++) {
      grantTimes.addLast(now);
    }
    outstanding += n;
    return n;
  }
}
