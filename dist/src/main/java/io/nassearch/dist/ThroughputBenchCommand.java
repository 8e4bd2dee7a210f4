package io.nassearch.dist;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.InMemorySearchStore;
import io.nassearch.worker.stream.WorkerClient;
import io.nassearch.worker.stream.WorkerOptions;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description = {
      "Scoring throughput of the trained surrogate (a) in process with one TensorFlow thread and (b) through the",
      "system: a coordinator and 1..N workers in this JVM talking real gRPC over loopback (Netty), each worker with",
      "one TensorFlow thread, the dispatcher kept busy with score batches. Prints candidates/s, batch round trip",
      "p50/p99, process CPU per million candidates, and the ratio (b)/(a); --out writes the table as CSV."
    })
final class ThroughputBenchCommand implements Callable<Integer> {
  @Option(names = "--batch-sizes", split = ",", defaultValue = "256,1024,4096", description = "Rows per score batch (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "Worker counts (default: ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Option(names = "--seconds", defaultValue = "5", description = "Measuring time per cell (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--in-flight", defaultValue = "4", description = "Batches kept outstanding per worker (default: ${DEFAULT-VALUE}).")
  int inFlightPerWorker;

  @Option(names = "--training-size", defaultValue = "500", description = "Architectures the scored model is trained on (default: ${DEFAULT-VALUE}).")
  int trainingSize;

  @Option(names = "--data-dir", description = "Benchmark data directory.")
  Path dataDir;

  @Option(names = "--out", description = "Write the table to this CSV file.")
  Path out;

  record Row(String mode, int workers, int batch, double candidatesPerSecond, double p50Ms, double p99Ms, double cpuSecondsPerMillion) {}

  @Override
  public Integer call() throws Exception {
    Nb201Data data = new Nb201Data(Optional.ofNullable(dataDir), "cifar10_valid");
    int[] perm = data.permutation(42);
    float[] y = new float[trainingSize];
    for (int i = 0; i < trainingSize; i++) {
      y[i] = (float) data.targets[perm[i]];
    }
    byte[] modelBytes;
    List<Row> rows = new ArrayList<>();
    try (Surrogate model = SurrogateTrainer.train(SurrogateConfig.defaults(), data.featuresOf(perm, 0, trainingSize), trainingSize,
        data.width, y, 42).model()) {
      modelBytes = model.toBytes();
      for (int batch : batchSizes) {
        rows.add(inProcess(model, batchOf(data, batch), batch));
      }
    }
    for (int n : workerCounts) {
      rows.addAll(throughSystem(n, modelBytes, data));
    }
    System.out.printf(Locale.ROOT, "NB201 surrogate (MLP 128x3, %d-float encoding), 1 TensorFlow thread per scorer, %d s per cell%n", data.width, (int) seconds);
    System.out.printf(Locale.ROOT, "%-10s %7s %6s %14s %9s %9s %16s %14s%n", "mode", "workers", "batch", "candidates/s", "p50 ms", "p99 ms", "CPU s / M cand", "vs in-process");
    StringBuilder csv = new StringBuilder("mode,workers,batch,candidates_per_second,round_trip_p50_ms,round_trip_p99_ms,cpu_seconds_per_million,ratio_to_in_process\n");
    for (Row r : rows) {
      double base = rows.stream().filter(x -> x.mode().equals("in-process") && x.batch() == r.batch()).findFirst().orElseThrow().candidatesPerSecond();
      System.out.printf(Locale.ROOT, "%-10s %7d %6d %14.0f %9.3f %9.3f %16.2f %14.2f%n", r.mode(), r.workers(), r.batch(), r.candidatesPerSecond(),
          r.p50Ms(), r.p99Ms(), r.cpuSecondsPerMillion(), r.candidatesPerSecond() / base);
      csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.4f,%.4f,%.3f,%.4f%n", r.mode(), r.workers(), r.batch(), r.candidatesPerSecond(),
          r.p50Ms(), r.p99Ms(), r.cpuSecondsPerMillion(), r.candidatesPerSecond() / base));
    }
    if (out != null) {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, csv);
      System.err.println("wrote " + out);
    }
    return 0;
  }

  private Row inProcess(Surrogate model, float[] x, int batch) {
    model.score(x, batch); // warm-up
    List<Long> latencies = new ArrayList<>();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long n = 0;
    while (System.nanoTime() < end) {
      long t = System.nanoTime();
      model.score(x, batch);
      latencies.add(System.nanoTime() - t);
      n += batch;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return row("in-process", 0, batch, n, elapsed, latencies, processCpuNanos() - cpu0);
  }

  private List<Row> throughSystem(int workers, byte[] modelBytes, Nb201Data data) throws IOException, InterruptedException {
    List<Row> out = new ArrayList<>();
    CoordinatorConfig config = CoordinatorConfig.defaults().withPort(0);
    CoordinatorServer server = CoordinatorServer.withBuiltIns(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), config, new InMemorySearchStore()).start();
    List<ManagedChannel> channels = new ArrayList<>();
    List<WorkerClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        channels.add(channel);
        WorkerClient w = new WorkerClient(channel, WorkerOptions.defaults("bench-worker-" + i).withParallelism(1));
        w.start();
        clients.add(w);
      }
      Dispatcher dispatcher = server.dispatcher();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (dispatcher.snapshot().workers().size() < workers) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("workers did not connect within 30 s");
        }
        Thread.sleep(20);
      }
      server.models().put("bench", modelBytes);
      for (int batch : batchSizes) {
        out.add(drive(dispatcher, workers, batch, batchOf(data, batch), data.width));
      }
    } finally {
      clients.forEach(WorkerClient::close);
      channels.forEach(ManagedChannel::shutdownNow);
      server.close();
    }
    return out;
  }

  /** Keeps {@code inFlightPerWorker x workers} batches outstanding for the measuring time, after a warm-up. */
  private Row drive(Dispatcher dispatcher, int workers, int batch, float[] x, int width) throws InterruptedException {
    int window = inFlightPerWorker * workers;
    BlockingQueue<Long> done = new ArrayBlockingQueue<>(window * 4);
    long warmUpEnd = System.nanoTime() + (long) Math.min(2e9, seconds * 0.3e9);
    int outstanding = 0;
    List<Long> latencies = new ArrayList<>();
    long rows = 0;
    long start = 0;
    long cpu0 = 0;
    long end = Long.MAX_VALUE;
    while (true) {
      while (outstanding < window && System.nanoTime() < end) {
        long sent = System.nanoTime();
        CompletableFuture<float[]> f = dispatcher.score("bench", batch, width, x);
        f.whenComplete((r, e) -> done.add(e == null ? System.nanoTime() - sent : -1L));
        outstanding++;
      }
      if (outstanding == 0) {
        break;
      }
      long latency = done.take();
      outstanding--;
      if (latency < 0) {
        throw new IllegalStateException("a score batch failed");
      }
      long now = System.nanoTime();
      if (start == 0 && now >= warmUpEnd) {
        start = now;
        cpu0 = processCpuNanos();
        end = start + (long) (seconds * 1e9);
      } else if (start != 0 && now <= end) {
        latencies.add(latency);
        rows += batch;
      }
    }
    double elapsed = (end - start) / 1e9;
    return row("system", workers, batch, rows, elapsed, latencies, processCpuNanos() - cpu0);
  }

  private static Row row(String mode, int workers, int batch, long candidates, double elapsed, List<Long> latencies, long cpuNanos) {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double p50 = sorted.length == 0 ? Double.NaN : sorted[(int) (0.50 * (sorted.length - 1))] / 1e6;
    double p99 = sorted.length == 0 ? Double.NaN : sorted[(int) (0.99 * (sorted.length - 1))] / 1e6;
    return new Row(mode, workers, batch, candidates / elapsed, p50, p99, cpuNanos / 1e9 / Math.max(1e-9, candidates / 1e6));
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
}
