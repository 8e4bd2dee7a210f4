package io.nassearch.launcher.bench;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.jdbc.SearchStores;
import io.nassearch.launcher.ChildProcesses;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Throughput bench (c): a real surrogate-scored search end to end: a coordinator in this JVM (its
 * search loop, dispatcher and a SQLite store), worker processes over gRPC on loopback, the search
 * created and watched through the Java client. Measures candidates per second while the search
 * explores (after the surrogate is trained), the CPU the coordinator (this JVM) and the workers
 * spend per million candidates, and the heap this JVM uses after a full GC when the search passes
 * given counts.
 */
record SearchThroughput(
    String space,
    String algorithm,
    int trainingSize,
    int batchesInFlight,
    String device,
    Optional<Path> dataDir,
    Path logDir) {

  /** One search's figures; {@code heapBytes[i]} after {@code heapAt[i]} candidates. */
  record Result(
      int workers,
      int batch,
      long candidates,
      double candidatesPerSecond,
      double coordinatorCpuPerMillion,
      double workerCpuPerMillion,
      long[] heapAt,
      long[] heapBytes,
      long heapAtStart,
      byte[] model,
      String bestArchitecture,
      double bestScore) {}

  Result run(int workers, int batch, long candidates, long[] heapAt) throws Exception {
    Path dir = Files.createTempDirectory("nas-bench-search");
    try (SearchStore store =
            SearchStores.open("sqlite:" + dir.resolve("coordinator.db"), null, null);
        ChildProcesses children = new ChildProcesses(logDir)) {
      CoordinatorConfig config = CoordinatorConfig.defaults().withPort(0).withDataDir(dataDir);
      CoordinatorServer server =
          CoordinatorServer.withBuiltIns(
                  NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                  config,
                  store)
              .start();
      try (NasClient client =
          NasClient.newBuilder()
              .target("127.0.0.1:" + server.port())
              .defaultDeadline(Duration.ofSeconds(60))
              .build()) {
        List<ProcessHandle> workerProcesses =
            SystemScoring.startWorkers(
                workers, server.port(), server.dispatcher(), children, device, logDir);
        Search search =
            client.createSearch(
                SearchRequest.builder()
                    .space(space)
                    .algorithm(algorithm)
                    .trainingBudget(trainingSize)
                    .candidateBudget(candidates)
                    .batchSize(batch)
                    .batchesInFlight(batchesInFlight)
                    .seed(1)
                    .topK(10)
                    .build());
        return watch(
            client, search.id(), workers, batch, candidates, heapAt, workerProcesses, store);
      } finally {
        server.close();
      }
    }
  }

  private Result watch(
      NasClient client,
      String id,
      int workers,
      int batch,
      long candidates,
      long[] heapAt,
      List<ProcessHandle> workerProcesses,
      SearchStore store)
      throws InterruptedException {
    long[] heapBytes = new long[heapAt.length];
    long heapAtStart = 0;
    int nextHeap = 0;
    long startNanos = 0;
    long startScored = 0;
    long startCpu = 0;
    long startWorkerCpu = 0;
    long lastNanos = 0;
    long lastScored = 0;
    long lastCpu = 0;
    long lastWorkerCpu = 0;
    while (true) {
      Search s = client.getSearch(id);
      long now = System.nanoTime();
      long scored = s.progress().candidatesScored();
      if (s.state() == SearchState.RUNNING && scored > 0 && startNanos == 0) {
        startNanos = now;
        startScored = scored;
        startCpu = Timing.processCpuNanos();
        startWorkerCpu = Timing.cpuNanos(workerProcesses);
        if (heapAt.length > 0) {
          heapAtStart = heapAfterGc();
        }
      }
      if (scored > lastScored) {
        lastNanos = now;
        lastScored = scored;
        lastCpu = Timing.processCpuNanos();
        lastWorkerCpu = Timing.cpuNanos(workerProcesses);
      }
      while (nextHeap < heapAt.length && scored >= heapAt[nextHeap]) {
        heapBytes[nextHeap++] = heapAfterGc();
        System.err.printf(
            Locale.ROOT,
            "bench: heap %.1f MB after %d candidates%n",
            heapBytes[nextHeap - 1] / 1e6,
            scored);
      }
      if (s.state().isTerminal()) {
        if (s.state() != SearchState.SUCCEEDED) {
          throw new IllegalStateException(
              "the benchmarked search ended " + s.state() + ": " + s.error());
        }
        break;
      }
      Thread.sleep(50);
    }
    double seconds = (lastNanos - startNanos) / 1e9;
    double millions = (lastScored - startScored) / 1e6;
    byte[] model = store.model("m-" + id).orElseThrow();
    var best = client.results(id, 1).candidates().get(0);
    return new Result(
        workers,
        batch,
        lastScored,
        seconds > 0 ? (lastScored - startScored) / seconds : Double.NaN,
        (lastCpu - startCpu) / 1e9 / millions,
        (lastWorkerCpu - startWorkerCpu) / 1e9 / millions,
        heapAt,
        heapBytes,
        heapAtStart,
        model,
        best.architecture(),
        best.predictedScore());
  }

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Prints the table (and writes it as CSV to {@code out} when given), then the heap figures. */
  static void print(
      List<Result> results,
      List<Double> inProcess,
      Result heap,
      String space,
      String algorithm,
      int batchesInFlight,
      String deviceDescription,
      Path out)
      throws java.io.IOException {
    System.out.printf(
        Locale.ROOT,
        "End-to-end %s search on %s, %d batches in flight, %d cores, device %s%n",
        algorithm,
        space,
        batchesInFlight,
        Runtime.getRuntime().availableProcessors(),
        deviceDescription);
    String header =
        String.format(
            Locale.ROOT,
            "%7s %6s %11s %13s %12s %12s %16s %6s",
            "workers",
            "batch",
            "candidates",
            "candidates/s",
            "coord CPU/M",
            "worker CPU/M",
            "in-process c/s",
            "ratio");
    System.out.println(header);
    StringBuilder csv =
        new StringBuilder(
            "workers,batch,candidates,candidates_per_second,coordinator_cpu_seconds_per_million,"
                + "worker_cpu_seconds_per_million,in_process_candidates_per_second,ratio\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      Object[] values = {
        r.workers(),
        r.batch(),
        r.candidates(),
        r.candidatesPerSecond(),
        r.coordinatorCpuPerMillion(),
        r.workerCpuPerMillion(),
        inProcess.get(i),
        r.candidatesPerSecond() / inProcess.get(i)
      };
      System.out.printf(Locale.ROOT, "%7d %6d %11d %13.0f %12.2f %12.2f %16.0f %6.2f%n", values);
      csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.1f,%.4f,%.4f,%.1f,%.4f%n", values));
    }
    if (heap != null) {
      System.out.printf(
          Locale.ROOT,
          "%nCoordinator JVM heap after a full GC, one search with 1 worker, batch %d"
              + " (%.1f MB when it started exploring):%n",
          heap.batch(),
          heap.heapAtStart() / 1e6);
      System.out.printf(
          Locale.ROOT,
          "%12s %10s %14s %14s%n",
          "candidates",
          "heap MB",
          "MB per million",
          "growth MB");
      for (int i = 0; i < heap.heapAt().length; i++) {
        System.out.printf(
            Locale.ROOT,
            "%12d %10.1f %14.2f %14.1f%n",
            heap.heapAt()[i],
            heap.heapBytes()[i] / 1e6,
            heap.heapBytes()[i] / 1e6 / (heap.heapAt()[i] / 1e6),
            (heap.heapBytes()[i] - heap.heapAtStart()) / 1e6);
      }
    }
    if (out != null) {
      Files.writeString(out, csv);
    }
  }

  /**
   * Where the search's best cell ranks among every member of {@code space} scored in process with
   * the search's model: the number of members scored higher, and the member count.
   */
  static long[] exhaustiveRank(
      Result r,
      io.nassearch.coordinator.space.EnumerableSearchSpace space,
      io.nassearch.worker.surrogate.SurrogateRuntime runtime) {
    int batch = 16_384;
    long better = 0;
    long size = space.size();
    try (var model = io.nassearch.worker.surrogate.Surrogate.fromBytes(r.model(), runtime)) {
      float best = scores(model, space, List.of(space.parse(r.bestArchitecture())))[0];
      for (long from = 0; from < size; from += batch) {
        List<io.nassearch.coordinator.space.Architecture> chunk = new ArrayList<>(batch);
        for (long o = from; o < Math.min(size, from + batch); o++) {
          chunk.add(space.fromOrdinal(o));
        }
        for (float score : scores(model, space, chunk)) {
          if (score > best) {
            better++;
          }
        }
      }
    }
    return new long[] {better, size};
  }

  /** In-process scores of {@code architectures} as the space's coded rows. */
  static float[] scores(
      io.nassearch.worker.surrogate.Surrogate model,
      io.nassearch.coordinator.space.SearchSpace space,
      List<io.nassearch.coordinator.space.Architecture> architectures) {
    var rows = io.nassearch.coordinator.space.EncodedRows.of(space, architectures);
    var layout = rows.layout().orElseThrow();
    return model.scoreCoded(java.nio.ByteBuffer.wrap(rows.codes()), rows.rows(), layout);
  }
}
