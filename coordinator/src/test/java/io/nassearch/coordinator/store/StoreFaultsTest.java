package io.nassearch.coordinator.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.nassearch.api.v1.AskTrialsRequest;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TellTrialRequest;
import io.nassearch.api.v1.Trial;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.jdbc.JdbcSearchStore;
import io.nassearch.coordinator.store.jdbc.WriteFaults;
import io.nassearch.coordinator.testing.TestSearches;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store faults injected into a real coordinator on a real SQLite file, driven over gRPC on
 * loopback: the database itself refuses the writes (its size capped, made query-only, its file
 * deleted). Each time: the client gets UNAVAILABLE naming the cause, reads keep working, health is
 * NOT_SERVING, the search pauses instead of failing and continues once the fault is lifted, and
 * every trial the coordinator acknowledged is in the file afterwards.
 */
class StoreFaultsTest {
  private static final int BUDGET = 40;

  @TempDir Path dir;
  private final WriteFaults faults = new WriteFaults();
  private SearchStore store;
  private CoordinatorServer server;
  private ManagedChannel channel;

  /** Acknowledged tells: architecture to objective. */
  private final Map<String, Double> acknowledged = new LinkedHashMap<>();

  /** The store's JDBC URL: the SQLite file below, or a PostgreSQL schema. */
  private String url;

  private Path db() {
    return dir.resolve("coordinator.db");
  }

  private SearchStore openWithFaults(String jdbcUrl) {
    url = jdbcUrl;
    return faults.open(url, TestPostgres.USER, TestPostgres.PASSWORD);
  }

  private void start(SearchStore s) throws IOException {
    store = s;
    server =
        CoordinatorServer.withBuiltIns(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults(),
                store)
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.close();
      store.close();
      channel = null;
    }
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    stop();
  }

  private SearchServiceGrpc.SearchServiceBlockingStub stub() {
    return SearchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private ServingStatus health() {
    return HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.newBuilder().build())
        .getStatus();
  }

  private Search createClientSearch() {
    Search s = stub().createSearch(TestSearches.clientEvaluated(BUDGET));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(s).getState() == SearchState.SEARCH_STATE_RUNNING);
    return s;
  }

  private Search get(Search s) {
    return stub().getSearch(GetSearchRequest.newBuilder().setName(s.getName()).build());
  }

  private String ask(Search s) {
    Trial t =
        stub()
            .askTrials(
                AskTrialsRequest.newBuilder()
                    .setName(s.getName())
                    .setCount(1)
                    .setClientId("c")
                    .build())
            .getTrials(0);
    return t.getArchitecture();
  }

  /** Tells a result with a short deadline; records it when acknowledged. */
  private void tell(Search s, String architecture) {
    double objective = 0.5 + acknowledged.size() / 1000.0;
    SearchServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
        .tellTrial(
            TellTrialRequest.newBuilder()
                .setName(s.getName())
                .setArchitecture(architecture)
                .setObjective(objective)
                .build());
    acknowledged.put(architecture, objective);
  }

  /**
   * Asks and tells until a call is refused; returns the refusal and the architecture it was for (""
   * when the ask itself was refused: it stores the trial it hands out).
   */
  private Map.Entry<String, StatusRuntimeException> tellUntilRefused(Search s) {
    for (int i = 0; i < BUDGET - 2; i++) {
      String a = "";
      try {
        a = ask(s);
        tell(s, a);
      } catch (StatusRuntimeException e) {
        return Map.entry(a, e);
      }
    }
    throw new AssertionError("every tell was acknowledged although the store refuses writes");
  }

  /** Lifts the fault, retells the refused trial, tells the rest, and checks the file. */
  private void recoverAndFinish(Search s, String refused) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> health() == ServingStatus.SERVING);
    tell(s, refused.isEmpty() ? ask(s) : refused);
    assertEquals("", get(s).getError(), "no longer paused");
    while (get(s).getState() == SearchState.SEARCH_STATE_RUNNING) {
      tell(s, ask(s));
    }
    assertEquals(SearchState.SEARCH_STATE_SUCCEEDED, get(s).getState(), get(s).getError());
    assertEquals(BUDGET, acknowledged.size());
    stop();
    try (SearchStore reopened =
        JdbcSearchStore.open(url, TestPostgres.USER, TestPostgres.PASSWORD)) {
      assertStored(reopened, s);
      assertEquals(
          SearchState.SEARCH_STATE_SUCCEEDED,
          reopened.get(s.getSearchId()).orElseThrow().getState());
    }
  }

  private void assertStored(SearchStore in, Search s) {
    Map<String, Double> stored = new LinkedHashMap<>();
    in.checkpoint(s.getSearchId())
        .orElseThrow()
        .candidates()
        .forEach(c -> stored.put(c.architecture(), c.score()));
    acknowledged.forEach(
        (a, v) -> assertEquals(v, stored.get(a), "acknowledged trial " + a + " was lost"));
  }

  /** While the fault lasts: reads work, writes are refused with the cause, health is down. */
  private void assertRefusedButReadable(Search s, StatusRuntimeException refusal, String cause) {
    assertEquals(Status.Code.UNAVAILABLE, refusal.getStatus().getCode(), refusal.toString());
    assertTrue(refusal.getStatus().getDescription().contains(cause), refusal.toString());
    assertEquals(ServingStatus.NOT_SERVING, health());
    Search now = get(s);
    assertEquals(SearchState.SEARCH_STATE_RUNNING, now.getState());
    assertTrue(now.getError().startsWith("paused: " + cause), now.getError());
    assertEquals(
        1, stub().listSearches(ListSearchesRequest.getDefaultInstance()).getSearchesCount());
    StatusRuntimeException create =
        assertThrows(StatusRuntimeException.class, this::createClientSearch);
    assertEquals(Status.Code.UNAVAILABLE, create.getStatus().getCode(), create.toString());
  }

  @Test
  void aFullDiskPausesTheSearchAndLosesNothing() throws Exception {
    start(openWithFaults("jdbc:sqlite:" + db()));
    Search s = createClientSearch();
    tell(s, ask(s));
    faults.fillTheDisk(true);
    var refused = tellUntilRefused(s);
    assertRefusedButReadable(s, refused.getValue(), "disk full");
    faults.fillTheDisk(false);
    recoverAndFinish(s, refused.getKey());
  }

  @Test
  void aReadOnlyStorePausesTheSearchAndLosesNothing() throws Exception {
    start(openWithFaults("jdbc:sqlite:" + db()));
    Search s = createClientSearch();
    tell(s, ask(s));
    faults.onEveryConnection("PRAGMA query_only = 1");
    var refused = tellUntilRefused(s);
    assertRefusedButReadable(s, refused.getValue(), "store is read-only");
    faults.onEveryConnection("PRAGMA query_only = 0");
    recoverAndFinish(s, refused.getKey());
  }

  @Test
  void aDeletedFileStopsWritesAndIsWrittenBackSoARestartLosesNothing() throws Exception {
    url = "jdbc:sqlite:" + db();
    start(JdbcSearchStore.sqlite(db()));
    Search s = createClientSearch();
    for (int i = 0; i < 3; i++) {
      tell(s, ask(s));
    }
    String a = ask(s);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("coordinator.db")).toList()) {
        if (!f.toString().endsWith(".lock")) {
          Files.delete(f);
        }
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> health() == ServingStatus.NOT_SERVING);
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> tell(s, a));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    assertTrue(refused.getStatus().getDescription().contains("deleted"), refused.toString());
    assertEquals(SearchState.SEARCH_STATE_RUNNING, get(s).getState());
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(db()));

    stop(); // the operator restarts the coordinator: it continues from the written-back file
    start(JdbcSearchStore.sqlite(db()));
    assertEquals(ServingStatus.SERVING, health());
    try {
      assertStored(store, s);
    } finally {
      assertNotEquals(SearchState.SEARCH_STATE_FAILED, get(s).getState());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(s).getState() == SearchState.SEARCH_STATE_RUNNING);
    recoverAndFinish(s, ask(s));
  }

  @Test
  void aSecondCoordinatorOnTheSameFileIsRefused() throws Exception {
    start(JdbcSearchStore.sqlite(db()));
    Search s = createClientSearch();
    StoreException e = assertThrows(StoreException.class, () -> JdbcSearchStore.sqlite(db()));
    assertEquals(StoreFault.LOCKED, e.fault());
    assertTrue(
        e.getMessage().startsWith("Another coordinator holds the store " + db()), e.getMessage());
    assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    assertEquals(SearchState.SEARCH_STATE_RUNNING, get(s).getState(), "the first one runs on");
  }

  @Test
  void aReadOnlyPostgresPausesTheSearchAndLosesNothing() throws Exception {
    start(openWithFaults(TestPostgres.freshSchema()));
    Search s = createClientSearch();
    tell(s, ask(s));
    faults.onEveryConnection("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    var refused = tellUntilRefused(s);
    assertRefusedButReadable(s, refused.getValue(), "store is read-only");
    faults.onEveryConnection("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
    recoverAndFinish(s, refused.getKey());
  }

  @Test
  void aSecondCoordinatorOnTheSamePostgresSchemaIsRefused() throws Exception {
    String schema = TestPostgres.freshSchema();
    start(openWithFaults(schema));
    StoreException e =
        assertThrows(
            StoreException.class,
            () -> JdbcSearchStore.open(schema, TestPostgres.USER, TestPostgres.PASSWORD));
    assertEquals(StoreFault.LOCKED, e.fault());
    assertTrue(e.getMessage().contains("PostgreSQL advisory lock on schema t_"), e.getMessage());
    JdbcSearchStore.open(TestPostgres.freshSchema(), TestPostgres.USER, TestPostgres.PASSWORD)
        .close(); // another schema is another store
    stop();
    JdbcSearchStore.open(schema, TestPostgres.USER, TestPostgres.PASSWORD).close(); // released
  }
}
