package io.nassearch.launcher.bench;

import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "surrogate-bench",
    mixinStandardHelpOptions = true,
    header = "Measures in-process scoring throughput and memory of a trained surrogate.",
    description = {
      "In-process scoring throughput of a trained surrogate for several batch sizes, and resident memory",
      "before and after scoring many candidates (it must not grow without bound)."
    })
public final class SurrogateBenchCommand implements Callable<Integer> {
  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "64,256,1024,4096,16384",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--seconds",
      defaultValue = "2",
      description = "Measuring time per batch size (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--candidates",
      defaultValue = "10000000",
      description = "Candidates scored for the memory check (default: ${DEFAULT-VALUE}).")
  long candidates;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "TensorFlow intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Mixin BenchModelOptions benchModel;

  @Override
  public Integer call() throws IOException {
    Nb201Data data = benchModel.loadData();
    SurrogateRuntime runtime = new SurrogateRuntime(threads, 1);
    SurrogateTrainer.TrainingOutcome outcome = benchModel.train(data, runtime);
    System.out.printf(
        Locale.ROOT,
        "surrogate: %s, trained on %d NB201 architectures in %.1f s; scoring with %d TF thread(s)%n",
        SurrogateConfig.defaults(),
        benchModel.trainingSize,
        outcome.trainTime().toMillis() / 1e3,
        threads);
    try (Surrogate model = outcome.model()) {
      System.out.printf(Locale.ROOT, "%10s  %14s  %12s%n", "batch", "candidates/s", "ms/batch");
      for (int batch : batchSizes) {
        float[] x = data.floatBatch(batch);
        model.score(x, batch); // warm-up
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
          model.score(x, batch);
          n++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT, "%10d  %14.0f  %12.3f%n", batch, n * batch / elapsed, elapsed * 1e3 / n);
      }
      int batch = 4096;
      float[] x = data.floatBatch(batch);
      long rssBefore = rssKb();
      long start = System.nanoTime();
      long rssMid = 0;
      long rounds = Math.max(1, candidates / batch);
      for (long r = 0; r < rounds; r++) {
        model.score(x, batch);
        if (r == rounds / 2) {
          rssMid = rssKb();
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long rssAfter = rssKb();
      System.out.printf(
          Locale.ROOT,
          "memory: RSS %d MB before, %d MB halfway, %d MB after scoring %,d candidates (batch %d, %.1f s)%n",
          rssBefore / 1024,
          rssMid / 1024,
          rssAfter / 1024,
          rounds * batch,
          batch,
          elapsed);
    }
    return 0;
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
