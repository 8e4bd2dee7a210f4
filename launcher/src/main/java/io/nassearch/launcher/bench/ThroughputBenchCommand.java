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
import io.nassearch.worker.surrogate.DeviceSelection;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description = {
      "Scoring throughput of a trained NB201 surrogate, side by side on this machine:",
      "(a) in process: T threads, each with its own single-threaded TensorFlow session, scoring float features;",
      "(b) through the system: the coordinator's dispatcher in this JVM and N worker processes (`nas worker`, one",
      "TensorFlow thread each) over real gRPC on loopback, the dispatcher kept busy, batches as coded rows or floats.",
      "(b) is compared with (a) at the same batch size and T = N (the same number of TensorFlow threads). Prints",
      "candidates/s, batch round trip p50/p99 (dispatcher write to result), CPU seconds per million candidates of",
      "the coordinator process and of the workers, and the ratio; --out writes the table as CSV."
    })
final class ThroughputBenchCommand implements Callable<Integer> {
  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "256,1024,4096,16384",
      description = "Rows per score batch (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "1,2,4",
      description = "Worker counts, also the in-process thread counts (default: ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Option(
      names = "--wire",
      split = ",",
      defaultValue = "codes,floats",
      description =
          "Batch encodings on the wire: codes (one byte per field) and/or floats (default: ${DEFAULT-VALUE}).")
  List<String> wires;

  @Option(
      names = "--seconds",
      defaultValue = "4",
      description = "Measuring time per cell, after a warm-up (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--queued-per-worker",
      defaultValue = "8",
      description =
          "Batches the driver keeps submitted per worker, so the dispatcher never runs dry (default: ${DEFAULT-VALUE}).")
  int queuedPerWorker;

  @Option(
      names = "--training-size",
      defaultValue = "500",
      description = "Architectures the scored model is trained on (default: ${DEFAULT-VALUE}).")
  int trainingSize;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto (the first GPU TensorFlow sees, else the CPU) or cpu, for the in-process scorers and the workers alike; run it once with each on a GPU machine to compare (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--data-dir", description = "Benchmark data directory.")
  Path dataDir;

  @Option(
      names = "--logs",
      description = "Directory for the worker processes' logs (default: a temporary directory).")
  Path logs;

  @Option(names = "--out", description = "Write the table to this CSV file.")
  Path out;

  private SurrogateRuntime runtime;
  private String deviceDescription;

  record Row(
      String mode,
      String wire,
      int workers,
      int batch,
      double candidatesPerSecond,
      double p50Ms,
      double p99Ms,
      double coordinatorCpuPerMillion,
      double workerCpuPerMillion) {}

  @Override
  public Integer call() throws Exception {
    for (String w : wires) {
      if (!w.equals("codes") && !w.equals("floats")) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--wire takes codes and/or floats, got " + w);
      }
    }
    DeviceSelection selected;
    try {
      selected = DeviceSelection.resolve(device);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    runtime = selected.apply(SurrogateRuntime.singleThreaded());
    deviceDescription = selected.description();
    System.err.println("bench: " + selected.explanation());
    Nb201Data data = new Nb201Data(Optional.ofNullable(dataDir), "cifar10_valid");
    int[] perm = data.permutation(42);
    float[] y = new float[trainingSize];
    for (int i = 0; i < trainingSize; i++) {
      y[i] = (float) data.targets[perm[i]];
    }
    byte[] modelBytes;
    try (Surrogate model =
        SurrogateTrainer.train(
                SurrogateConfig.defaults(),
                data.featuresOf(perm, 0, trainingSize),
                trainingSize,
                data.width,
                y,
                42)
            .model()) {
      modelBytes = model.toBytes();
    }
    List<Row> rows = new ArrayList<>();
    CodedLayout layout = data.space.codedLayout().orElseThrow();
    inProcess(
        modelBytes, 1, "floats", batchOf(data, 1024), null, null, 1024, 2); // warm-up, not reported
    for (int threads : workerCounts) {
      for (String wire : wires) {
        for (int batch : batchSizes) {
          Row r =
              inProcess(
                  modelBytes,
                  threads,
                  wire,
                  batchOf(data, batch),
                  codesOf(data, layout, batch),
                  layout,
                  batch,
                  seconds);
          rows.add(r);
          System.err.printf(
              Locale.ROOT,
              "in-process %s threads=%d batch=%d: %.0f cand/s%n",
              wire,
              threads,
              batch,
              r.candidatesPerSecond());
        }
      }
    }
    Path logDir =
        logs != null
            ? Files.createDirectories(logs)
            : Files.createTempDirectory("nas-bench-throughput");
    for (int n : workerCounts) {
      rows.addAll(throughSystem(n, modelBytes, data, logDir));
    }
    print(rows, data.width);
    return 0;
  }

  private void print(List<Row> rows, int width) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "NB201 surrogate (MLP 128x3), %d-float features (coded: 16 bytes), %s s per cell, %d cores, device %s%n",
        width,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        deviceDescription);
    System.out.printf(
        Locale.ROOT,
        "%-10s %-6s %7s %6s %13s %8s %8s %12s %12s %8s%n",
        "mode",
        "wire",
        "workers",
        "batch",
        "candidates/s",
        "p50 ms",
        "p99 ms",
        "coord CPU/M",
        "worker CPU/M",
        "ratio");
    StringBuilder csv =
        new StringBuilder(
            "mode,wire,workers,batch,candidates_per_second,round_trip_p50_ms,round_trip_p99_ms,"
                + "coordinator_cpu_seconds_per_million,worker_cpu_seconds_per_million,ratio_to_in_process\n");
    for (Row r : rows) {
      double base =
          rows.stream()
              .filter(
                  x ->
                      x.mode().equals("in-process")
                          && x.batch() == r.batch()
                          && x.workers() == r.workers())
              .filter(x -> x.wire().equals("floats"))
              .mapToDouble(Row::candidatesPerSecond)
              .findFirst()
              .orElse(Double.NaN);
      double ratio = r.candidatesPerSecond() / base;
      System.out.printf(
          Locale.ROOT,
          "%-10s %-6s %7d %6d %13.0f %8.2f %8.2f %12.2f %12.2f %8.2f%n",
          r.mode(),
          r.wire(),
          r.workers(),
          r.batch(),
          r.candidatesPerSecond(),
          r.p50Ms(),
          r.p99Ms(),
          r.coordinatorCpuPerMillion(),
          r.workerCpuPerMillion(),
          ratio);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f%n",
              r.mode(),
              r.wire(),
              r.workers(),
              r.batch(),
              r.candidatesPerSecond(),
              r.p50Ms(),
              r.p99Ms(),
              r.coordinatorCpuPerMillion(),
              r.workerCpuPerMillion(),
              ratio));
    }
    System.out.println(
        "ratio: candidates/s over in-process float scoring with as many TensorFlow threads as workers, same batch size.");
    System.out.println(
        "in-process CPU is in the worker column; coordinator CPU includes the load driver (it only submits ready batches).");
    if (out != null) {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, csv);
      System.err.println("wrote " + out);
    }
  }

  /**
   * {@code threads} scorers, each with its own single-threaded session, scoring the same batch in a
   * loop, as float features or as coded rows expanded in the graph.
   */
  private Row inProcess(
      byte[] modelBytes,
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
                        model.scoreCoded(java.nio.ByteBuffer.wrap(codes), batch, layout);
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
      long cpuAtStart = processCpuNanos();
      done.await();
      long cpu = processCpuNanos() - cpuAtStart;
      double elapsed = (end - start) / 1e9;
      double[] p = percentiles(latencies);
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

  private List<Row> throughSystem(int workers, byte[] modelBytes, Nb201Data data, Path logDir)
      throws Exception {
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
    try (Dispatcher dispatcher = new Dispatcher(config, models, listener);
        ChildProcesses children = new ChildProcesses(logDir)) {
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .maxInboundMessageSize(256 << 20)
              .addService(new WorkerServiceImpl(dispatcher, 64))
              .build()
              .start();
      try {
        List<ProcessHandle> workerProcesses = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          Process p =
              children.spawn(
                  "worker-" + workers + "-" + i,
                  List.of(
                      "worker",
                      "--coordinator",
                      "127.0.0.1:" + server.getPort(),
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
            throw new IllegalStateException(
                "workers did not connect within 60 s; logs in " + logDir);
          }
          Thread.sleep(50);
        }
        CodedLayout layout = data.space.codedLayout().orElseThrow();
        // Fresh JVMs (workers, and this one's dispatch path) compile their hot paths first; small
        // batches of
        // both encodings for a few seconds keep that out of the measured cells.
        byte[] warmUpCodes = codesOf(data, layout, 256);
        float[] warmUpFloats = batchOf(data, 256);
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
        for (String wire : wires) {
          for (int batch : batchSizes) {
            Submit submit;
            if (wire.equals("codes")) {
              byte[] codes = codesOf(data, layout, batch);
              submit = () -> dispatcher.scoreCoded("bench", batch, layout, codes);
            } else {
              float[] x = batchOf(data, batch);
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
        coordinatorCpu0 = processCpuNanos();
        workerCpu0 = cpuNanos(workerProcesses);
        roundTrips.clear();
        end = start + (long) (seconds * 1e9);
      } else if (start != 0 && now <= end) {
        rows += batch;
      }
    }
    double elapsed = (end - start) / 1e9;
    double millions = rows / 1e6;
    double coordinatorCpu = (processCpuNanos() - coordinatorCpu0) / 1e9;
    double workerCpu = (cpuNanos(workerProcesses) - workerCpu0) / 1e9;
    double[] p;
    synchronized (roundTrips) {
      p = percentiles(new ArrayList<>(roundTrips));
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

  private static long cpuNanos(List<ProcessHandle> processes) {
    long total = 0;
    for (ProcessHandle p : processes) {
      total += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static float[] batchOf(Nb201Data data, int batch) {
    float[] x = new float[batch * data.width];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(data.features, (i % data.rows) * data.width, x, i * data.width, data.width);
    }
    return x;
  }

  private static byte[] codesOf(Nb201Data data, CodedLayout layout, int batch) {
    byte[] codes = new byte[batch * layout.fields()];
    for (int i = 0; i < batch; i++) {
      data.space.encodeCoded(data.space.fromOrdinal(i % data.rows), codes, i * layout.fields());
    }
    return codes;
  }
}
