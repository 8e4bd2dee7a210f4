package io.nassearch.launcher.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The benches' time measures: latency percentiles and CPU time. */
final class Timing {
  private Timing() {}

  /** p50 and p99 in milliseconds of nanosecond samples (NaN when there are none). */
  static double[] percentiles(List<Long> nanos) {
    List<Long> copy;
    synchronized (nanos) { // the lists here are Collections.synchronizedList
      copy = new ArrayList<>(nanos);
    }
    long[] sorted = copy.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {
      sorted[(int) (0.50 * (sorted.length - 1))] / 1e6,
      sorted[(int) (0.99 * (sorted.length - 1))] / 1e6
    };
  }

  /** CPU time used so far by these processes together. */
  static long cpuNanos(List<ProcessHandle> processes) {
    long total = 0;
    for (ProcessHandle p : processes) {
      total += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  /** CPU time used so far by this JVM (0 where the platform does not say). */
  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
