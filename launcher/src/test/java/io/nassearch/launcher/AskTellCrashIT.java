package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.client.SurrogateOptions;
import io.nassearch.client.Trial;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of the coordinator between two tells of an ask/tell search, with real processes on
 * loopback and a real SQLite or PostgreSQL store: the restarted coordinator has every told result,
 * offers the client its pending trials first, and the search ends with the same trials as one that
 * was never interrupted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AskTellCrashIT {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  static final BenchmarkTable TABLE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).table().orElseThrow();
  static final String CLIENT = "node-1";

  @TempDir Path dir;

  static final SearchRequest REQUEST =
      SearchRequest.builder()
          .space("nb201")
          .algorithm(SearchRequest.PREDICTOR_GUIDED)
          .evaluator(SearchRequest.Evaluator.CLIENT)
          .queryBudget(20)
          .algorithmSetting("initial_queries", 10)
          .algorithmSetting("queries_per_round", 5)
          .algorithmSetting("ensemble_size", 2)
          .algorithmSetting("random_candidates", 200)
          .surrogate(new SurrogateOptions("", 32, 2, 0, 0, 0, 60, 0, 0, 0))
          .batchSize(256)
          .seed(11)
          .build();

  static double truth(String architecture) {
    return TABLE.value(SPACE.parse(architecture), "cifar10_valid").orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aKilledCoordinatorLosesNoToldResultAndOffersThePendingTrialsAgain(String kind)
      throws Exception {
    List<String> store = store(kind);
    try (NasProcesses p = new NasProcesses(dir)) {
      String password = System.getenv("NAS_TEST_POSTGRES_PASSWORD");
      if (password != null) {
        p.environment("NAS_COORDINATOR_STORE_PASSWORD", password);
      }
      int port = NasProcesses.freePort();
      Process first = p.start("coordinator-1", coordinator(port, store));
      p.start(
          "worker",
          "worker",
          "--coordinator",
          "127.0.0.1:" + port,
          "--id",
          "w1",
          "--metrics-port",
          "-1");
      String id;
      List<String> uninterrupted;
      List<Trial> told = new ArrayList<>();
      List<Trial> pending;
      try (NasClient client = NasProcesses.client(port)) {
        uninterrupted = driveToEnd(client, client.createSearch(REQUEST).id());
        id = client.createSearch(REQUEST).id();
        while (told.size() < 12) { // past the first retraining (after 10 results)
          for (Trial t : client.askTrials(id, 4, CLIENT)) {
            told.add(client.tellTrial(id, t.architecture(), truth(t.architecture())));
          }
        }
        // The next ask, as an uninterrupted loop would make it; one of its trials is told, then the
        // kill.
        List<Trial> asked = client.askTrials(id, 4, CLIENT);
        assertEquals(4, asked.size());
        told.add(
            client.tellTrial(id, asked.get(0).architecture(), truth(asked.get(0).architecture())));
        pending = asked.subList(1, 4);
        first
            .destroyForcibly(); // SIGKILL right after a tell returned: no shutdown hook, no goodbye
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      }
      p.start("coordinator-2", coordinator(port, store));
      try (NasClient client = NasProcesses.client(port)) {
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    Files.readString(dir.resolve("coordinator-2.log"))
                        .contains("Resuming search " + id));
        List<Trial> completed =
            client.listTrials(id).stream().filter(t -> t.state() == Trial.State.COMPLETED).toList();
        assertEquals(told, completed, "every told result, in order, with its objective");
        assertEquals(told.size(), client.getSearch(id).progress().trials().told());
        assertEquals(
            pending,
            client.askTrials(id, 3, CLIENT),
            "the client's pending trials are offered again");
        for (Trial t : pending) {
          client.tellTrial(id, t.architecture(), truth(t.architecture()));
        }
        assertEquals(
            uninterrupted, driveToEnd(client, id), "the same trials as an uninterrupted search");
        Search done = client.getSearch(id);
        assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
        assertEquals(20, done.progress().trials().told());
      }
    }
  }

  /**
   * Asks 4 at a time and tells the table's values until the search ends; the told architectures in
   * order.
   */
  private static List<String> driveToEnd(NasClient client, String id) {
    List<Trial> trials;
    while (client.getSearch(id).state() != SearchState.SUCCEEDED
        && !(trials = client.askTrials(id, 4, CLIENT)).isEmpty()) {
      for (Trial t : trials) {
        client.tellTrial(id, t.architecture(), truth(t.architecture()));
      }
    }
    return client.listTrials(id).stream().map(Trial::architecture).toList();
  }

  private static String[] coordinator(int port, List<String> store) {
    List<String> args =
        new ArrayList<>(
            List.of("coordinator", "--port", Integer.toString(port), "--metrics-port", "-1"));
    args.addAll(store);
    return args.toArray(String[]::new);
  }

  /**
   * The --store arguments: a SQLite file, or a fresh schema on the PostgreSQL server .ci/run
   * starts.
   */
  private List<String> store(String kind) throws Exception {
    if (kind.equals("sqlite")) {
      return List.of("--store", "sqlite:" + dir.resolve("nas.db"));
    }
    String url = System.getenv("NAS_TEST_POSTGRES_URL");
    if (url == null || url.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true but NAS_TEST_POSTGRES_URL is not set; .ci/run must start PostgreSQL");
      }
      Assumptions.abort("no PostgreSQL server configured (NAS_TEST_POSTGRES_URL)");
    }
    String user = System.getenv("NAS_TEST_POSTGRES_USER");
    String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c =
            DriverManager.getConnection(url, user, System.getenv("NAS_TEST_POSTGRES_PASSWORD"));
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA " + schema);
    }
    List<String> args =
        new ArrayList<>(
            List.of("--store", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema));
    if (user != null) {
      args.addAll(List.of("--store-user", user));
    }
    return args;
  }
}
