package io.nassearch.launcher;

import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.cli.ProgressPrinter;
import io.nassearch.client.cli.Views;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Runs a whole NAS-Bench-201 search on this machine and prints its top architectures.",
    description = {
      "Starts a coordinator and workers as processes on loopback, runs one NAS-Bench-201 search on them,",
      "prints the top architectures with their true accuracy and regret, and stops everything. Ctrl-C stops it early."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--algorithm",
      defaultValue = "regularized_evolution",
      description =
          "random, regularized_evolution, local_search, or guided (predictor_guided: ground-truth queries chosen by a retrained surrogate ensemble) (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--training-budget",
      defaultValue = "200",
      description =
          "Architectures whose true accuracy trains the surrogate (default: ${DEFAULT-VALUE}).")
  int trainingBudget;

  @Option(
      names = "--budget",
      defaultValue = "3000",
      description = "Architectures the surrogate scores (default: ${DEFAULT-VALUE}).")
  long budget;

  @Option(
      names = "--query-budget",
      defaultValue = "100",
      description = "guided: ground-truth evaluations (default: ${DEFAULT-VALUE}).")
  int queryBudget;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the search (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--loss",
      description =
          "Surrogate loss: mse, pairwise, hinge, listmle (default: the best ranking loss).")
  String loss;

  @Option(
      names = "--top-k",
      defaultValue = "10",
      description = "Architectures to report (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--data-dir", description = "Benchmark data directory for the coordinator.")
  Path dataDir;

  @Option(
      names = "--logs",
      defaultValue = ".nas/demo",
      description = "Where process logs go (default: ${DEFAULT-VALUE}).")
  Path logs;

  private ChildProcesses children;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    Files.createDirectories(logs);
    children = new ChildProcesses(logs);
    int port = freePort();
    Thread stopper = new Thread(children::close, "demo-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    long started = System.nanoTime();
    int metricsPort = freePort();
    List<String> coordinatorArgs =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--port",
                Integer.toString(port),
                "--metrics-port",
                Integer.toString(metricsPort)));
    if (dataDir != null) {
      coordinatorArgs.addAll(List.of("--data-dir", dataDir.toString()));
    }
    // A fresh SQLite store per demo run, so nothing from an earlier run resumes.
    Path store = logs.resolve("coordinator.db");
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(store + suffix));
    }
    coordinatorArgs.addAll(List.of("--store", "sqlite:" + store));
    children.spawn("coordinator", coordinatorArgs);
    List<String> workerMetrics = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      int workerMetricsPort = freePort();
      workerMetrics.add("http://127.0.0.1:" + workerMetricsPort + "/metrics");
      children.spawn(
          "worker-" + i,
          List.of(
              "worker",
              "--coordinator",
              "127.0.0.1:" + port,
              "--id",
              "demo-worker-" + i,
              "--metrics-port",
              Integer.toString(workerMetricsPort)));
    }
    out.printf(
        "started coordinator on 127.0.0.1:%d and %d workers (logs in %s)%n", port, workers, logs);
    out.printf(
        "metrics: coordinator http://127.0.0.1:%d/metrics, workers %s%n",
        metricsPort, String.join(" ", workerMetrics));

    try (NasClient client =
        NasClient.newBuilder()
            .target("127.0.0.1:" + port)
            .defaultDeadline(Duration.ofSeconds(10))
            .build()) {
      awaitCoordinator(client);
      SearchRequest.Builder request =
          SearchRequest.builder()
              .space("nb201")
              .algorithm(algorithm)
              .trainingBudget(trainingBudget)
              .candidateBudget(budget)
              .seed(seed)
              .topK(topK)
              .displayName("demo");
      if (loss != null) {
        request.loss(loss);
      }
      boolean guided =
          algorithm.equals("guided") || algorithm.equals(SearchRequest.PREDICTOR_GUIDED);
      if (guided) {
        request.queryBudget(queryBudget);
      }
      Search search = client.createSearch(request.build());
      if (guided) {
        out.printf(
            "search %s: predictor_guided on NAS-Bench-201, %d ground-truth queries chosen by a surrogate ensemble "
                + "retrained after every round%n",
            search.id(), queryBudget);
      } else {
        out.printf(
            "search %s: %s on NAS-Bench-201, surrogate trained on %d true accuracies, %d candidates scored by it%n",
            search.id(), search.spec().algorithm(), trainingBudget, budget);
      }
      boolean terminal = System.console() != null;
      ProgressPrinter progress =
          new ProgressPrinter(
              out, terminal ? ProgressPrinter.Mode.BAR : ProgressPrinter.Mode.LINES);
      Search done = client.awaitCompletion(search.id(), Duration.ofMinutes(30), progress);
      progress.finish();
      Results results = client.results(done.id(), topK);
      out.println();
      out.println(Views.resultsHeader(results));
      out.print(Views.resultsTable(results));
      out.println(Views.pickedLine(results));
      if (guided) {
        out.printf(
            Locale.ROOT,
            "%d candidates scored by the surrogate ensembles on %d workers, %d retrainings; "
                + "%d ground-truth queries; total %.1f s%n",
            done.progress().candidatesScored(),
            workers,
            done.progress().trials().surrogateRetrains(),
            done.progress().groundTruthQueries(),
            (System.nanoTime() - started) / 1e9);
      } else {
        out.printf(
            Locale.ROOT,
            "throughput: %.0f candidates scored per second end to end (%d workers); %d ground-truth queries; total %.1f s%n",
            done.progress().candidatesPerSecond(),
            workers,
            done.progress().groundTruthQueries(),
            (System.nanoTime() - started) / 1e9);
      }
      return done.state() == io.nassearch.client.SearchState.SUCCEEDED ? 0 : 1;
    } catch (NasClientException e) {
      Views.printError(new PrintWriter(System.err, true), e);
      return 1;
    } finally {
      children.close();
    }
  }

  private void awaitCoordinator(NasClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        client.spaces();
        return;
      } catch (NasClientException e) {
        children.requireAlive();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
