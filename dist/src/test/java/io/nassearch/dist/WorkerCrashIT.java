package io.nassearch.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker process mid-search, 20 times over, with real processes on loopback: every
 * search still scores exactly its budget and ends with the same top 10 as an undisturbed run.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class WorkerCrashIT {
  private static final int REPETITIONS = 20;
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir;

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


  @Test
  void killingWorkersMidSearchLosesAndDoubleCountsNothing() throws Exception {
    try (NasProcesses p = new NasProcesses(dir)) {
      int port = NasProcesses.freePort();
      p.start("coordinator", "coordinator", "--port", Integer.toString(port), "--store", "memory", "--metrics-port", "-1");
      List<Process> workers = new ArrayList<>();
      int nextWorker = 0;
      for (; nextWorker < 3; nextWorker++) {
        workers.add(worker(p, port, nextWorker));
      }
      try (NasClient client = NasProcesses.client(port)) {
        Search reference = client.awaitCompletion(client.createSearch(REQUEST).id(), Duration.ofMinutes(2), e -> {});
        assertEquals(SearchState.SUCCEEDED, reference.state(), reference.error());
        List<String> expected = NasProcesses.top10(client, reference.id());

        SplittableRandom rng = new SplittableRandom(42);
        for (int round = 0; round < REPETITIONS; round++) {
          String id = client.createSearch(REQUEST).id();
          long killAt = 200 + rng.nextInt(1300);
          await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
              .until(() -> client.getSearch(id).progress().candidatesScored() >= killAt || client.getSearch(id).state().isTerminal());
          Process victim = workers.remove(rng.nextInt(workers.size()));
          victim.destroyForcibly(); // SIGKILL mid-search
          victim.waitFor(10, TimeUnit.SECONDS);
          workers.add(worker(p, port, nextWorker++));
          Search done = client.awaitCompletion(id, Duration.ofMinutes(2), e -> {});
          assertEquals(SearchState.SUCCEEDED, done.state(), "round " + round + ": " + done.error());
          assertEquals(3000, done.progress().candidatesScored(), "round " + round);
          assertEquals(expected, NasProcesses.top10(client, id), "round " + round);
        }
      }
    }
  }

  private static Process worker(NasProcesses p, int port, int n) throws java.io.IOException {
    return p.start("worker-" + n, "worker", "--coordinator", "127.0.0.1:" + port, "--id", "crash-w" + n, "--metrics-port", "-1");
  }
}
