package io.nassearch.launcher.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.dispatch.DispatchConfig;
import io.nassearch.coordinator.dispatch.DispatchListener;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.server.WorkerServiceImpl;
import io.nassearch.launcher.ChildProcesses;
import io.nassearch.launcher.bench.ThroughputTable.Row;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Throughput bench (b): the coordinator's dispatcher in this JVM and worker processes over real
 * gRPC on loopback, the dispatcher kept busy.
 */
record SystemScoring(
    byte[] modelBytes,
    Nb201Data data,
    String device,
    double seconds,
    int queuedPerWorker,
    Path logDir) {
  /** One row per wire and batch size, with {@code workers} fresh worker processes. */
  List<Row> measure(int workers, List<String> wires, List<Integer> batchSizes) throws Exception {
    List<Long> roundTrips = Collections.synchronizedList(new ArrayList<>());
    DispatchListener listener =
        new DispatchListener() {
          @Override
          public void completed(boolean score, int rows, long roundTripNanos, String workerId) {
            if (score) {
              roundTrips.add(roundTripNanos);
            }
          }
        };
    ModelRegistry models = new ModelRegistry();
    models.put("bench", modelBytes);
    DispatchConfig config = DispatchConfig.defaults();
    List<Row> out = new ArrayList<>();
    CodedLayout layout = data.space.codedLayout().orElseThrow();
    try (Dispatcher dispatcher = new Dispatcher(config, models, listener);
        ChildProcesses children = new ChildProcesses(logDir)) {
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .maxInboundMessageSize(256 << 20)
              .addService(new WorkerServiceImpl(dispatcher, 64))
              .build()
              .start();
      try {
        List<ProcessHandle> workerProcesses =
            startWorkers(workers, server.getPort(), dispatcher, children, device, logDir);
        warmUp(dispatcher, workers, layout);
        for (String wire : wires) {
          for (int batch : batchSizes) {
            Submit submit;
            if (wire.equals("codes")) {
              byte[] codes = data.codedBatch(layout, batch);
              submit = () -> dispatcher.scoreCoded("bench", batch, layout, codes);
            } else {
              float[] x = data.floatBatch(batch);
              submit = () -> dispatcher.score("bench", batch, data.width, x);
            }
            Row r = drive(submit, workers, batch, wire, roundTrips, workerProcesses);
            System.err.printf(
                Locale.ROOT,
                "system wire=%s workers=%d batch=%d: %.0f cand/s%n",
                wire,
                workers,
                batch,
                r.candidatesPerSecond());
            out.add(r);
          }
        }
      } finally {
        server.shutdownNow();
      }
    }
    return out;
  }

  /**
   * Starts {@code workers} worker processes (one TensorFlow thread each) and waits until {@code
   * dispatcher} has them all.
   */
  static List<ProcessHandle> startWorkers(
      int workers,
      int port,
      Dispatcher dispatcher,
      ChildProcesses children,
      String device,
      Path logDir)
      throws Exception {
    List<ProcessHandle> workerProcesses = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Process p =
          children.spawn(
              "worker-" + workers + "-" + i,
              List.of(
                  "worker",
                  "--coordinator",
                  "127.0.0.1:" + port,
                  "--id",
                  "bench-" + workers + "-" + i,
                  "--parallelism",
                  "1",
                  "--threads",
                  "1",
                  "--metrics-port",
                  "-1",
                  "--device",
                  device));
      workerProcesses.add(p.toHandle());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (dispatcher.snapshot().workers().size() < workers) {
      children.requireAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("workers did not connect within 60 s; logs in " + logDir);
      }
      Thread.sleep(50);
    }
    return workerProcesses;
  }

  /**
   * Fresh JVMs (workers, and this one's dispatch path) compile their hot paths first; small batches
   * of both encodings for a few seconds keep that out of the measured cells.
   */
  private void warmUp(Dispatcher dispatcher, int workers, CodedLayout layout) throws Exception {
    byte[] warmUpCodes = data.codedBatch(layout, 256);
    float[] warmUpFloats = data.floatBatch(256);
    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    for (int round = 0; System.nanoTime() < warmUpEnd; round++) {
      List<CompletableFuture<float[]>> batch = new ArrayList<>();
      for (int i = 0; i < 8 * workers; i++) {
        batch.add(
            round % 2 == 0
                ? dispatcher.scoreCoded("bench", 256, layout, warmUpCodes)
                : dispatcher.score("bench", 256, data.width, warmUpFloats));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get();
    }
  }

  private interface Submit {
    CompletableFuture<float[]> next();
  }

  /**
   * Keeps {@code queuedPerWorker x workers} batches submitted for the measuring time, after a
   * warm-up.
   */
  private Row drive(
      Submit submit,
      int workers,
      int batch,
      String wire,
      List<Long> roundTrips,
      List<ProcessHandle> workerProcesses)
      throws InterruptedException {
    int window = queuedPerWorker * workers;
    BlockingQueue<Boolean> done = new ArrayBlockingQueue<>(window * 4);
    long warmUpEnd = System.nanoTime() + (long) Math.min(1.5e9, seconds * 0.3e9);
    int outstanding = 0;
    long rows = 0;
    long start = 0;
    long coordinatorCpu0 = 0;
    long workerCpu0 = 0;
    long end = Long.MAX_VALUE;
    while (true) {
      while (outstanding < window && System.nanoTime() < end) {
        submit.next().whenComplete((r, e) -> done.add(e == null));
        outstanding++;
      }
      if (outstanding == 0) {
        break;
      }
      boolean ok = done.take();
      outstanding--;
      if (!ok) {
        throw new IllegalStateException("a score batch failed");
      }
      long now = System.nanoTime();
      if (start == 0 && now >= warmUpEnd) {
        start = now;
        coordinatorCpu0 = Timing.processCpuNanos();
        workerCpu0 = Timing.cpuNanos(workerProcesses);
        roundTrips.clear();
        end = start + (long) (seconds * 1e9);
      } else if (start != 0 && now <= end) {
        rows += batch;
      }
    }
    double elapsed = (end - start) / 1e9;
    double millions = rows / 1e6;
    double coordinatorCpu = (Timing.processCpuNanos() - coordinatorCpu0) / 1e9;
    double workerCpu = (Timing.cpuNanos(workerProcesses) - workerCpu0) / 1e9;
    double[] p;
    synchronized (roundTrips) {
      p = Timing.percentiles(new ArrayList<>(roundTrips));
    }
    return new Row(
        "system",
        wire,
        workers,
        batch,
        rows / elapsed,
        p[0],
        p[1],
        coordinatorCpu / millions,
        workerCpu / millions);
  }
}
