package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker process mid-search, 20 times over, with real processes on loopback: every
 * search still scores exactly its budget and ends with the same top 10 as an undisturbed run, and
 * in each round a killed worker held work when it died (the coordinator requeued it and counted
 * redeliveries).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class WorkerCrashIT {
  private static final int REPETITIONS = 20;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  private static final SearchRequest REQUEST =
      SearchRequest.builder()
          .space("nb201")
          .algorithm("regularized_evolution")
          .trainingBudget(100)
          .candidateBudget(3000)
          .batchSize(20)
          .seed(8)
          .topK(10)
          .build();

  private record Worker(String id, Process process) {}

  @Test
  void killingWorkersMidSearchLosesAndDoubleCountsNothing() throws Exception {
    try (NasProcesses p = new NasProcesses(dir)) {
      int port = NasProcesses.freePort();
      int metricsPort = NasProcesses.freePort();
      p.start(
          "coordinator",
          "coordinator",
          "--port",
          Integer.toString(port),
          "--store",
          "memory",
          "--metrics-port",
          Integer.toString(metricsPort));
      List<Worker> workers = new ArrayList<>();
      int nextWorker = 0;
      for (; nextWorker < 3; nextWorker++) {
        workers.add(worker(p, port, nextWorker));
      }
      try (NasClient client = NasProcesses.client(port)) {
        for (Worker w : workers) {
          awaitConnected(w);
        }
        Search reference =
            client.awaitCompletion(
                client.createSearch(REQUEST).id(), Duration.ofMinutes(2), e -> {});
        assertEquals(SearchState.SUCCEEDED, reference.state(), reference.error());
        List<String> expected = NasProcesses.top10(client, reference.id());
        assertEquals(0, redeliveries(metricsPort), "nothing redelivered before the first kill");

        SplittableRandom rng = new SplittableRandom(42);
        long requeued = 0;
        List<Integer> heldPerKill = new ArrayList<>();
        int rerun = 0;
        for (int round = 0; round < REPETITIONS; round++) {
          String id = client.createSearch(REQUEST).id();
          long killAt = 200 + rng.nextInt(1300);
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () ->
                      client.getSearch(id).progress().candidatesScored() >= killAt
                          || client.getSearch(id).state().isTerminal());
          // A kill at a quiet moment (between rounds) proves nothing, so the round kills again
          // until
          // one victim held work (the coordinator saw its stream drop and put that work back in the
          // queue); a search that ends first is checked all the same and the round is run again.
          int held = 0;
          List<Worker> fresh =
              new ArrayList<>(); // replacements started this round, not yet known to be connected
          for (int kill = 0; held == 0 && kill < 3; kill++) {
            if (client.getSearch(id).state().isTerminal()) {
              break;
            }
            List<Worker> connected = workers.stream().filter(w -> !fresh.contains(w)).toList();
            Worker victim = connected.get(rng.nextInt(connected.size()));
            workers.remove(victim);
            victim.process().destroyForcibly(); // SIGKILL mid-search
            victim.process().waitFor(10, TimeUnit.SECONDS);
            Worker replacement = worker(p, port, nextWorker++);
            workers.add(replacement);
            fresh.add(replacement);
            Pattern left =
                Pattern.compile(
                    "Worker "
                        + victim.id()
                        + " disconnected \\(.*\\); (\\d+) item\\(s\\) back in the queue");
            held =
                await().atMost(Duration.ofSeconds(30)).until(() -> requeuedBy(left), n -> n >= 0);
            heldPerKill.add(held);
          }
          requeued += held;
          for (Worker w : fresh) {
            awaitConnected(w); // so that every worker a later round may kill has taken part
          }
          Search done = client.awaitCompletion(id, Duration.ofMinutes(2), e -> {});
          assertEquals(SearchState.SUCCEEDED, done.state(), "round " + round + ": " + done.error());
          assertEquals(3000, done.progress().candidatesScored(), "round " + round);
          assertEquals(expected, NasProcesses.top10(client, id), "round " + round);
          if (held == 0) {
            assertTrue(
                ++rerun <= REPETITIONS, "no killed worker held work in " + rerun + " rounds");
            round--; // this round's kills all hit idle workers: run it again
          }
        }
        // Deadlines may add redeliveries of their own; the kills account for at least these.
        double counted = redeliveries(metricsPort);
        System.out.println(
            "work items held by the killed workers: "
                + heldPerKill
                + "; redeliveries counted: "
                + counted);
        assertTrue(
            counted >= requeued,
            "redeliveries counted " + counted + ", requeued by kills " + requeued);
      }
    }
  }

  private void awaitConnected(Worker w) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                Files.readString(dir.resolve("coordinator.log"))
                    .contains("Worker " + w.id() + " connected"));
  }

  /**
   * The number of items the coordinator log says were requeued when a worker left; -1 before the
   * line is there.
   */
  private int requeuedBy(Pattern line) throws java.io.IOException {
    Matcher m = line.matcher(Files.readString(dir.resolve("coordinator.log")));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** nas_dispatcher_redeliveries_total from the coordinator's /metrics. */
  private static double redeliveries(int metricsPort) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith("nas_dispatcher_redeliveries_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no nas_dispatcher_redeliveries_total in /metrics");
  }

  private static Worker worker(NasProcesses p, int port, int n) throws java.io.IOException {
    String id = "crash-w" + n;
    return new Worker(
        id,
        p.start(
            "worker-" + n,
            "worker",
            "--coordinator",
            "127.0.0.1:" + port,
            "--id",
            id,
            "--metrics-port",
            "-1"));
  }
}
