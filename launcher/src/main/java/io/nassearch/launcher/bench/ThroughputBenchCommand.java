package io.nassearch.launcher.bench;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.launcher.bench.ThroughputTable.Row;
import io.nassearch.worker.surrogate.DeviceSelection;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    header = "Measures scoring throughput in process, through the system, and inside a search.",
    description = {
      "Scoring throughput of a trained NB201 surrogate, side by side on this machine:",
      "(a) in process: T threads, each with its own single-threaded TensorFlow session, scoring float features;",
      "(b) through the system: the coordinator's dispatcher in this JVM and N worker processes (`nas worker`, one",
      "TensorFlow thread each) over real gRPC on loopback, the dispatcher kept busy, batches as coded rows or floats.",
      "(b) is compared with (a) at the same batch size and T = N (the same number of TensorFlow threads). Prints",
      "candidates/s, batch round trip p50/p99 (dispatcher write to result), CPU seconds per million candidates of",
      "the coordinator process and of the workers, and the ratio; --out writes the table as CSV.",
      "--mode search measures instead (c): a real surrogate-scored search end to end (a coordinator in this JVM",
      "with a SQLite store, N worker processes, the search created through the Java client) on --space: candidates/s",
      "while it explores, coordinator and worker CPU per million candidates, next to (a) with the search's own",
      "model at the same batch size and T = N; with --heap-candidates, this JVM's heap after a full GC when one",
      "search (1 worker) passes each count."
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

  @Mixin BenchModelOptions benchModel;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto (the first GPU TensorFlow sees, else the CPU) or cpu, for the in-process scorers and the workers alike; run it once with each on a GPU machine to compare (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--logs",
      description = "Directory for the worker processes' logs (default: a temporary directory).")
  Path logs;

  @Option(names = "--out", description = "Write the table to this CSV file.")
  Path out;

  @Option(
      names = "--mode",
      defaultValue = "scoring",
      description = "scoring ((a) and (b)) or search ((c)) (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--space",
      defaultValue = "darts",
      description = "--mode search: the space searched (default: ${DEFAULT-VALUE}).")
  String space;

  @Option(
      names = "--algorithm",
      defaultValue = "regularized_evolution",
      description = "--mode search: the search algorithm (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--candidates",
      defaultValue = "3000000",
      description =
          "--mode search: candidate budget of each measured search (default: ${DEFAULT-VALUE}).")
  long candidates;

  @Option(
      names = "--batches-in-flight",
      defaultValue = "8",
      description = "--mode search: the searches' batches_in_flight (default: ${DEFAULT-VALUE}).")
  int batchesInFlight;

  @Option(
      names = "--heap-candidates",
      split = ",",
      description =
          "--mode search: counts at which to measure the heap, in one more search of the largest count"
              + " with 1 worker (e.g. 10000000,100000000; default: none).")
  List<Long> heapCandidates = List.of();

  @Option(
      names = "--exhaustive",
      description =
          "--mode search: also score every member of the (enumerable) space in process with each search's"
              + " model and print where the search's best cell ranks among them.")
  boolean exhaustive;

  @Override
  public Integer call() throws Exception {
    if (!mode.equals("scoring") && !mode.equals("search")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--mode takes scoring or search, got " + mode);
    }
    if (candidates < 1 || batchesInFlight < 1 || heapCandidates.stream().anyMatch(c -> c < 1)) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--candidates, --batches-in-flight and --heap-candidates take positive numbers");
    }
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
    SurrogateRuntime runtime = selected.apply(SurrogateRuntime.singleThreaded());
    System.err.println("bench: " + selected.explanation());
    if (mode.equals("search")) {
      return searchMode(runtime, selected.description());
    }
    Nb201Data data = benchModel.loadData();
    byte[] modelBytes;
    try (Surrogate model = benchModel.train(data, SurrogateRuntime.singleThreaded()).model()) {
      modelBytes = model.toBytes();
    }
    List<Row> rows = new ArrayList<>();
    CodedLayout layout = data.space.codedLayout().orElseThrow();
    InProcessScoring inProcess = new InProcessScoring(modelBytes, runtime);
    inProcess.measure(1, "floats", data.floatBatch(1024), null, null, 1024, 2); // warm-up
    for (int threads : workerCounts) {
      for (String wire : wires) {
        for (int batch : batchSizes) {
          Row r =
              inProcess.measure(
                  threads,
                  wire,
                  data.floatBatch(batch),
                  data.codedBatch(layout, batch),
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
    SystemScoring system =
        new SystemScoring(modelBytes, data, device, seconds, queuedPerWorker, logDir);
    for (int n : workerCounts) {
      rows.addAll(system.measure(n, wires, batchSizes));
    }
    ThroughputTable.print(rows, data.width, seconds, selected.description(), out);
    return 0;
  }

  private int searchMode(SurrogateRuntime runtime, String deviceDescription) throws Exception {
    Path logDir =
        logs != null
            ? Files.createDirectories(logs)
            : Files.createTempDirectory("nas-bench-search");
    Optional<Path> data = Optional.ofNullable(benchModel.dataDir);
    SearchSpace searched;
    try {
      searched = SpaceCatalog.builtIn(space, DataDirectory.of(data)).space();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--space: " + e.getMessage());
    }
    SearchThroughput bench =
        new SearchThroughput(
            space, algorithm, benchModel.trainingSize, batchesInFlight, device, data, logDir);
    List<SearchThroughput.Result> results = new ArrayList<>();
    List<Double> inProcess = new ArrayList<>();
    for (int batch : batchSizes) {
      for (int n : workerCounts) {
        SearchThroughput.Result r = bench.run(n, batch, candidates, new long[0]);
        results.add(r);
        if (exhaustive) {
          printExhaustiveRank(r, searched, runtime);
        }
        inProcess.add(inProcessRate(r.model(), searched, runtime, n, batch));
        System.err.printf(
            Locale.ROOT,
            "search workers=%d batch=%d: %.0f cand/s (in process %.0f)%n",
            n,
            batch,
            r.candidatesPerSecond(),
            inProcess.get(inProcess.size() - 1));
      }
    }
    SearchThroughput.Result heap = null;
    if (!heapCandidates.isEmpty()) {
      long[] at = heapCandidates.stream().mapToLong(Long::longValue).sorted().toArray();
      heap = bench.run(1, batchSizes.get(batchSizes.size() - 1), at[at.length - 1], at);
    }
    SearchThroughput.print(
        results, inProcess, heap, space, algorithm, batchesInFlight, deviceDescription, out);
    return 0;
  }

  private void printExhaustiveRank(
      SearchThroughput.Result r, SearchSpace searched, SurrogateRuntime runtime) {
    if (!(searched instanceof EnumerableSearchSpace all) || all.size() == 0) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--exhaustive needs a space whose members can be listed");
    }
    long[] rank = SearchThroughput.exhaustiveRank(r, all, runtime);
    System.out.printf(
        Locale.ROOT,
        "exhaustive check (%d workers, batch %d): the search scored %d of %d members (%.2f%%); its best"
            + " cell %s ranks %d of %d by the same model, top %.4f%%%n",
        r.workers(),
        r.batch(),
        r.candidates(),
        rank[1],
        100.0 * r.candidates() / rank[1],
        r.bestArchitecture(),
        rank[0] + 1,
        rank[1],
        100.0 * (rank[0] + 1) / rank[1]);
  }

  /** Candidates per second of (a): {@code threads} in-process scorers of the search's own model. */
  private double inProcessRate(
      byte[] model, SearchSpace searched, SurrogateRuntime runtime, int threads, int batch)
      throws InterruptedException {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    List<io.nassearch.coordinator.space.Architecture> samples = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      samples.add(searched.sample(rng));
    }
    var rows = io.nassearch.coordinator.space.EncodedRows.of(searched, samples);
    CodedLayout layout = rows.layout().orElseThrow();
    return new InProcessScoring(model, runtime)
        .measure(threads, "codes", null, rows.codes(), layout, batch, seconds)
        .candidatesPerSecond();
  }
}
