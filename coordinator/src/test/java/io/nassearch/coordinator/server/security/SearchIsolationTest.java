package io.nassearch.coordinator.server.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.nassearch.api.v1.AddTrialRequest;
import io.nassearch.api.v1.AskTrialsRequest;
import io.nassearch.api.v1.AskTrialsResponse;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListTrialsRequest;
import io.nassearch.api.v1.ReportMeasurementRequest;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchServiceGrpc.SearchServiceBlockingStub;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TellTrialRequest;
import io.nassearch.api.v1.WatchSearchRequest;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.server.CoordinatorServer;
import io.nassearch.coordinator.store.jdbc.JdbcSearchStore;
import io.nassearch.coordinator.testing.TestSearches;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients and an admin, each with its own bearer token, on a real coordinator (Netty on
 * loopback, SQLite file): every SearchService RPC that names a search gives the other client
 * NOT_FOUND and works for the owner and for admin, ListSearches shows each client only its own
 * searches, and ownership survives a restart.
 */
class SearchIsolationTest {
  private static final String ALICE = "alice-token-0123456789";
  private static final String BOB = "bob-token-0123456789ab";
  private static final String ADMIN = "admin-token-0123456789";
  private static final TokenRegistry TOKENS =
      TokenRegistry.parse(
          List.of(
              "client " + ALICE + " name=alice", "client " + BOB + " name=bob", "admin " + ADMIN),
          "test");

  @TempDir Path dir;
  private JdbcSearchStore store;
  private CoordinatorServer server;
  private ManagedChannel channel;

  private void start() throws Exception {
    start(ServerSecurity.none().withTokens(TOKENS));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private void start(ServerSecurity security) throws Exception {
    store = JdbcSearchStore.sqlite(dir.resolve("coordinator.db"));
    server =
        CoordinatorServer.withBuiltIns(
                security.nettyServerBuilder(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults(),
                store)
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.close();
      store.close();
      channel = null;
    }
  }

  private SearchServiceBlockingStub as(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return SearchServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private Search create(String token) {
    Search s = as(token).createSearch(TestSearches.clientEvaluated(10));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                as(token)
                        .getSearch(GetSearchRequest.newBuilder().setName(s.getName()).build())
                        .getState()
                    == SearchState.SEARCH_STATE_RUNNING);
    return s;
  }

  /** Every RPC that names a search, called by {@code token} on {@code s}. */
  private Map<String, Consumer<String>> calls(Search s) {
    String name = s.getName();
    Map<String, Consumer<String>> calls = new LinkedHashMap<>();
    calls.put(
        "GetSearch", t -> as(t).getSearch(GetSearchRequest.newBuilder().setName(name).build()));
    calls.put(
        "GetResults", t -> as(t).getResults(GetResultsRequest.newBuilder().setName(name).build()));
    calls.put(
        "ListTrials", t -> as(t).listTrials(ListTrialsRequest.newBuilder().setName(name).build()));
    calls.put(
        "WatchSearch",
        t -> as(t).watchSearch(WatchSearchRequest.newBuilder().setName(name).build()).next());
    Function<String, AskTrialsResponse> ask =
        t ->
            as(t)
                .askTrials(
                    AskTrialsRequest.newBuilder().setName(name).setCount(1).setClientId(t).build());
    calls.put("AskTrials", ask::apply);
    calls.put(
        "TellTrial",
        t ->
            as(t)
                .tellTrial(
                    TellTrialRequest.newBuilder()
                        .setName(name)
                        .setArchitecture(ask.apply(t).getTrials(0).getArchitecture())
                        .setObjective(0.5)
                        .build()));
    calls.put(
        "AddTrial",
        t ->
            as(t)
                .addTrial(
                    AddTrialRequest.newBuilder()
                        .setName(name)
                        .setArchitecture("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
                        .setObjective(0.5)
                        .build()));
    calls.put(
        "ReportMeasurement",
        t ->
            as(t)
                .reportMeasurement(
                    ReportMeasurementRequest.newBuilder()
                        .setName(name)
                        .setArchitecture(ask.apply(t).getTrials(0).getArchitecture())
                        .setStep(1)
                        .setValue(0.5)
                        .build()));
    calls.put(
        "CancelSearch",
        t -> as(t).cancelSearch(CancelSearchRequest.newBuilder().setName(name).build()));
    return calls;
  }

  private Set<String> listed(String token) {
    return as(token)
        .listSearches(ListSearchesRequest.getDefaultInstance())
        .getSearchesList()
        .stream()
        .map(Search::getSearchId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void withMutualTlsAndNoTokensTheCertificateSubjectOwnsTheSearch() throws Exception {
    start(
        ServerSecurity.tls(
                AuthOverTlsTest.resource("server.pem"), AuthOverTlsTest.resource("server.key"))
            .withClientCa(AuthOverTlsTest.resource("ca.pem")));
    ManagedChannel other = certificate("client2");
    channel = certificate("client");
    try {
      Search mine = create(ALICE); // the token is not checked: auth is the certificate
      var others = SearchServiceGrpc.newBlockingStub(other).withDeadlineAfter(20, TimeUnit.SECONDS);
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  others.getSearch(GetSearchRequest.newBuilder().setName(mine.getName()).build()));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.toString());
      assertEquals(
          0, others.listSearches(ListSearchesRequest.getDefaultInstance()).getSearchesCount());
      assertEquals(Set.of(mine.getSearchId()), listed(ALICE));
    } finally {
      other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel certificate(String name) throws Exception {
    return AuthOverTlsTest.channel(
        server.port(),
        io.grpc.TlsChannelCredentials.newBuilder()
            .trustManager(AuthOverTlsTest.resource("ca.pem").toFile())
            .keyManager(
                AuthOverTlsTest.resource(name + ".pem").toFile(),
                AuthOverTlsTest.resource(name + ".key").toFile())
            .build());
  }

  @Test
  void anotherClientCannotSeeOrChangeASearchAndAdminCan() throws Exception {
    start();
    Search alices = create(ALICE);
    Search bobs = create(BOB);

    Map<String, Consumer<String>> calls = calls(alices);
    Set<String> everyRpc =
        SearchServiceGrpc.getServiceDescriptor().getMethods().stream()
            .map(MethodDescriptor::getBareMethodName)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> covered = new TreeSet<>(calls.keySet());
    covered.addAll(List.of("CreateSearch", "ListSearches", "ListSpaces"));
    assertEquals(everyRpc, covered, "every SearchService RPC is tried");

    calls.forEach(
        (rpc, call) -> {
          StatusRuntimeException e =
              assertThrows(StatusRuntimeException.class, () -> call.accept(BOB), rpc);
          assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), rpc + ": " + e);
        });
    assertEquals(Set.of(bobs.getSearchId()), listed(BOB));
    assertEquals(Set.of(alices.getSearchId()), listed(ALICE));
    assertEquals(new TreeSet<>(Set.of(alices.getSearchId(), bobs.getSearchId())), listed(ADMIN));
    StatusRuntimeException bobsView =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                as(BOB)
                    .getSearch(
                        GetSearchRequest.newBuilder().setName("searches/nosuchsearch").build()));
    assertEquals(
        Status.Code.NOT_FOUND, bobsView.getStatus().getCode(), "the same as a missing one");

    stop(); // ownership is stored
    start();
    assertEquals(Set.of(bobs.getSearchId()), listed(BOB));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              calls.get("AskTrials").accept(ALICE);
              return true;
            });
    calls.forEach(
        (rpc, call) ->
            assertEquals(
                Status.Code.NOT_FOUND,
                assertThrows(StatusRuntimeException.class, () -> call.accept(BOB), rpc)
                    .getStatus()
                    .getCode(),
                rpc + " after a restart"));
    calls.forEach((rpc, call) -> call.accept(ADMIN)); // admin may do everything, cancel last
    assertEquals(
        SearchState.SEARCH_STATE_CANCELLED,
        as(ALICE)
            .getSearch(GetSearchRequest.newBuilder().setName(alices.getName()).build())
            .getState());
  }
}
