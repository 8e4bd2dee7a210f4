package io.nassearch.launcher.bench;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.Trial;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.StoreException;
import io.nassearch.coordinator.store.jdbc.SearchStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    header = "Measures ask/tell round trips per second against a real store.",
    description = {
      "Coordinator costs outside scoring:",
      "(1) ask/tell round trips per second: C clients, each driving its own predictor-guided search (evaluator",
      "CLIENT) over real gRPC on loopback, against a real store (a fresh SQLite file by default, or a fresh",
      "schema in a PostgreSQL database); every tell is committed before it returns. The searches stay in",
      "their random phase (initial_queries = query budget), so no surrogate training is in the loop:",
      "this measures the service and its store. The heap of a surrogate-scored search is measured by",
      "'bench throughput --mode search --heap-candidates'."
    })
final class CoordinatorBenchCommand implements Callable<Integer> {
  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,4,8",
      description = "Concurrent ask/tell clients (default: ${DEFAULT-VALUE}).")
  List<Integer> clientCounts;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Measuring time per client count (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--store",
      defaultValue = "sqlite",
      description =
          "sqlite (a fresh file per row), memory, or jdbc:postgresql://HOST:PORT/DB (a fresh schema per"
              + " row, dropped after it; the password comes from NAS_COORDINATOR_STORE_PASSWORD)"
              + " (default: ${DEFAULT-VALUE}).")
  String storeKind;

  @Option(names = "--store-user", description = "Database user for a PostgreSQL store.")
  String storeUser;

  @Option(
      names = "--query-budget",
      defaultValue = "10000",
      description =
          "Trials per search; a search that runs out is replaced (default: ${DEFAULT-VALUE}).")
  int queryBudget;

  @Option(names = "--data-dir", description = "Benchmark data directory.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    validate();
    System.out.printf(
        Locale.ROOT,
        "ask/tell on %s, NB201, %s s per row, %d cores%n",
        storeKind.startsWith("jdbc:") ? postgresDescription() : storeKind,
        seconds,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%7s %12s %12s %9s %9s %12s%n",
        "clients",
        "round trips",
        "per second",
        "p50 ms",
        "p99 ms",
        "ask p50 ms");
    for (int clients : clientCounts) {
      askTell(clients);
    }
    return 0;
  }

  /** Bad flag values end the command with one line naming the flag. */
  private void validate() {
    if (!storeKind.equals("sqlite")
        && !storeKind.equals("memory")
        && !storeKind.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--store takes sqlite, memory or jdbc:postgresql://HOST:PORT/DB, got '"
              + storeKind
              + "'");
    }
    if (storeUser != null && !storeKind.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--store-user is for a PostgreSQL --store only");
    }
    if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(c -> c < 1 || c > 256)) {
      throw new IllegalArgumentException("--clients takes counts in 1..256, got " + clientCounts);
    }
    if (!(seconds > 0 && seconds <= 3600)) {
      throw new IllegalArgumentException("--seconds must be in (0, 3600], got " + seconds);
    }
    if (queryBudget < 1) {
      throw new IllegalArgumentException("--query-budget must be >= 1, got " + queryBudget);
    }
  }

  /** The database and what it does on commit, which decides what a committed tell survives. */
  private String postgresDescription() {
    try (Connection c = postgres();
        Statement s = c.createStatement()) {
      return "postgresql "
          + storeKind.replaceAll("\\?.*", "").replaceFirst("^jdbc:postgresql://", "")
          + " (fsync="
          + setting(s, "fsync")
          + ", synchronous_commit="
          + setting(s, "synchronous_commit")
          + ")";
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "--store: cannot connect to "
              + storeKind.replaceAll("\\?.*", "")
              + ": "
              + e.getMessage());
    }
  }

  private static String setting(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Connection postgres() throws SQLException {
    return DriverManager.getConnection(
        storeKind, storeUser, System.getenv("NAS_COORDINATOR_STORE_PASSWORD"));
  }

  /** A store for one row: a fresh SQLite file or PostgreSQL schema, so no search resumes. */
  private record RowStore(SearchStore store, AutoCloseable cleanUp) {}

  private RowStore openStore() throws Exception {
    if (storeKind.equals("memory")) {
      return new RowStore(SearchStores.open("memory", null, null), () -> {});
    }
    if (storeKind.equals("sqlite")) {
      Path dir = Files.createTempDirectory("nas-bench-coordinator");
      return new RowStore(
          SearchStores.open("sqlite:" + dir.resolve("coordinator.db"), null, null),
          () -> deleteTree(dir));
    }
    String schema = "nas_bench_" + Long.toHexString(new SplittableRandom().nextLong() >>> 1);
    try (Connection c = postgres();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = storeKind + (storeKind.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    SearchStore store;
    try {
      store = SearchStores.open(url, storeUser, System.getenv("NAS_COORDINATOR_STORE_PASSWORD"));
    } catch (StoreException e) {
      throw new IllegalArgumentException("--store: " + e.getMessage(), e);
    }
    return new RowStore(
        store,
        () -> {
          try (Connection c = postgres();
              Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
          }
        });
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void askTell(int clients) throws Exception {
    RowStore row = openStore();
    SearchStore store = row.store();
    CoordinatorConfig config =
        CoordinatorConfig.defaults().withPort(0).withDataDir(Optional.ofNullable(dataDir));
    CoordinatorServer server =
        CoordinatorServer.withBuiltIns(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), config, store)
            .start();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> askLatencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong roundTrips = new AtomicLong();
    try (NasClient client =
        NasClient.newBuilder()
            .target("127.0.0.1:" + server.port())
            .defaultDeadline(Duration.ofSeconds(30))
            .build()) {
      long warmUp = System.nanoTime() + 2_000_000_000L;
      long start = warmUp;
      long end = start + (long) (seconds * 1e9);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      for (int c = 0; c < clients; c++) {
        String name = "client-" + c;
        Thread t =
            new Thread(
                () -> {
                  try {
                    String searchId = newSearch(client, name);
                    int told = 0;
                    SplittableRandom rng = new SplittableRandom(name.hashCode());
                    while (true) {
                      long t0 = System.nanoTime();
                      if (t0 >= end) {
                        break;
                      }
                      if (told >= queryBudget) {
                        searchId = newSearch(client, name);
                        told = 0;
                      }
                      List<Trial> asked = client.askTrials(searchId, 1, name);
                      long asked1 = System.nanoTime();
                      client.tellTrial(
                          searchId, asked.get(0).architecture(), 80 + 10 * rng.nextDouble());
                      told++;
                      long t1 = System.nanoTime();
                      if (t0 >= start && t1 <= end) {
                        latencies.add(t1 - t0);
                        askLatencies.add(asked1 - t0);
                        roundTrips.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                },
                name);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      if (!errors.isEmpty()) {
        throw new IllegalStateException("an ask/tell client failed", errors.get(0));
      }
      double[] roundTrip = Timing.percentiles(latencies);
      double[] ask = Timing.percentiles(askLatencies);
      System.out.printf(
          Locale.ROOT,
          "%7d %12d %12.0f %9.2f %9.2f %12.2f%n",
          clients,
          roundTrips.get(),
          roundTrips.get() / seconds,
          roundTrip[0],
          roundTrip[1],
          ask[0]);
    } finally {
      server.close();
      store.close();
      row.cleanUp().close();
    }
  }

  private String newSearch(NasClient client, String name) {
    Search s =
        client.createSearch(
            SearchRequest.builder()
                .space("nb201")
                .algorithm("predictor_guided")
                .evaluator(SearchRequest.Evaluator.CLIENT)
                .queryBudget(queryBudget)
                .algorithmSetting("initial_queries", queryBudget)
                .seed(name.hashCode())
                .displayName("bench " + name)
                .build());
    return s.id();
  }
}
