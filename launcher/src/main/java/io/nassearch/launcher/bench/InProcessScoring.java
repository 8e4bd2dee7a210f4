package io.nassearch.launcher.bench;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.launcher.bench.ThroughputTable.Row;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Throughput bench (a): scorers in this JVM, with no dispatcher or network in between. */
final class InProcessScoring {
  private final byte[] modelBytes;
  private final SurrogateRuntime runtime;

  InProcessScoring(byte[] modelBytes, SurrogateRuntime runtime) {
    this.modelBytes = modelBytes;
    this.runtime = runtime;
  }

  /**
   * {@code threads} scorers, each with its own single-threaded session, scoring the same batch in a
   * loop, as float features or as coded rows expanded in the graph.
   */
  Row measure(
      int threads,
      String wire,
      float[] x,
      byte[] codes,
      CodedLayout layout,
      int batch,
      double seconds)
      throws InterruptedException {
    List<Surrogate> models = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      models.add(Surrogate.fromBytes(modelBytes, runtime));
    }
    try {
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicLong candidates = new AtomicLong();
      long warmUp = (long) Math.min(1e9, seconds * 0.25e9);
      long start = System.nanoTime() + warmUp;
      long end = start + (long) (seconds * 1e9);
      CountDownLatch done = new CountDownLatch(threads);
      for (Surrogate model : models) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (true) {
                      long t0 = System.nanoTime();
                      if (t0 >= end) {
                        break;
                      }
                      if (wire.equals("codes")) {
                        model.scoreCoded(ByteBuffer.wrap(codes), batch, layout);
                      } else {
                        model.score(x, batch);
                      }
                      long t1 = System.nanoTime();
                      if (t0 >= start && t1 <= end) {
                        latencies.add(t1 - t0);
                        candidates.addAndGet(batch);
                      }
                    }
                  } finally {
                    done.countDown();
                  }
                },
                "bench-scorer");
        t.start();
      }
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmUp));
      long cpuAtStart = Timing.processCpuNanos();
      done.await();
      long cpu = Timing.processCpuNanos() - cpuAtStart;
      double elapsed = (end - start) / 1e9;
      double[] p = Timing.percentiles(latencies);
      long n = candidates.get();
      return new Row(
          "in-process",
          wire,
          threads,
          batch,
          n / elapsed,
          p[0],
          p[1],
          Double.NaN,
          cpu / 1e9 / (n / 1e6));
    } finally {
      models.forEach(Surrogate::close);
    }
  }
}
