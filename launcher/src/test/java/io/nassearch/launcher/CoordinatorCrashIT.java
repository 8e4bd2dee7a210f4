package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the coordinator mid-search, with real processes on loopback: a coordinator restarted
 * on the same SQLite store resumes the search, and its final top 10 equals an uninterrupted run's.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CoordinatorCrashIT {
  @TempDir Path dir;

  private static final SearchRequest REQUEST =
      SearchRequest.builder()
          .space("nb201")
          .algorithm("regularized_evolution")
          .trainingBudget(100)
          .candidateBudget(15_000)
          .batchSize(10)
          .seed(21)
          .topK(10)
          .build();

  private static String[] coordinator(int port, Path db) {
    return new String[] {
      "coordinator",
      "--port",
      Integer.toString(port),
      "--store",
      "sqlite:" + db,
      "--metrics-port",
      "-1"
    };
  }

  private static String[] worker(int port, String id) {
    return new String[] {
      "worker", "--coordinator", "127.0.0.1:" + port, "--id", id, "--metrics-port", "-1"
    };
  }

  @Test
  void aKilledCoordinatorResumesTheSearchAndEndsWithTheSameTopTen() throws Exception {
    List<String> uninterrupted;
    try (NasProcesses p = new NasProcesses(dir)) {
      int port = NasProcesses.freePort();
      p.start("reference-coordinator", coordinator(port, dir.resolve("reference.db")));
      p.start("reference-worker-1", worker(port, "r1"));
      p.start("reference-worker-2", worker(port, "r2"));
      try (NasClient client = NasProcesses.client(port)) {
        Search s = client.createSearch(REQUEST);
        Search done = client.awaitCompletion(s.id(), Duration.ofMinutes(3), e -> {});
        assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
        uninterrupted = NasProcesses.top10(client, s.id());
      }
    }

    try (NasProcesses p = new NasProcesses(dir)) {
      int port = NasProcesses.freePort();
      Path db = dir.resolve("crashed.db");
      Process first = p.start("coordinator-1", coordinator(port, db));
      p.start("worker-1", worker(port, "w1"));
      p.start("worker-2", worker(port, "w2"));
      String id;
      long scoredAtKill;
      try (NasClient client = NasProcesses.client(port)) {
        id = client.createSearch(REQUEST).id();
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> client.getSearch(id).progress().candidatesScored() >= 3000);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        scoredAtKill = 3000;
      }
      p.start("coordinator-2", coordinator(port, db));
      try (NasClient client = NasProcesses.client(port)) {
        Search resumed = client.getSearch(id);
        assertTrue(
            resumed.progress().candidatesScored() >= scoredAtKill - 500,
            "resumed from a checkpoint, not from zero");
        Search done = client.awaitCompletion(id, Duration.ofMinutes(3), e -> {});
        assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
        assertEquals(15_000, done.progress().candidatesScored());
        assertEquals(uninterrupted, NasProcesses.top10(client, id));
      }
      long trainings = 0;
      for (String worker : List.of("worker-1.log", "worker-2.log")) {
        trainings +=
            Files.readAllLines(dir.resolve(worker)).stream()
                .filter(l -> l.contains(" training "))
                .count();
      }
      assertEquals(
          1, trainings, "the surrogate was trained once; the restart reused the stored model");
      assertTrue(
          Files.readString(dir.resolve("coordinator-2.log")).contains("Resuming search " + id),
          "the second coordinator resumed the search");
    }
  }
}
