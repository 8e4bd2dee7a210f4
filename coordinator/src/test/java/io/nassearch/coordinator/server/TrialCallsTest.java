package io.nassearch.coordinator.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nassearch.api.v1.AddTrialRequest;
import io.nassearch.api.v1.AskTrialsRequest;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.EarlyStopping;
import io.nassearch.api.v1.Evaluator;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListTrialsRequest;
import io.nassearch.api.v1.ReportMeasurementRequest;
import io.nassearch.api.v1.ReportMeasurementResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.SearchState;
import io.nassearch.api.v1.TellTrialRequest;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.jdbc.JdbcSearchStore;
import io.nassearch.coordinator.testing.TestSearches;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial calls on a real coordinator (SQLite, gRPC on loopback): a tell needs an ask, AddTrial
 * reports what was not asked, infeasible and failed results, and each trial's asker and times.
 */
class TrialCallsTest {
  static final String UNASKED =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  SearchStore store;
  CoordinatorServer server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    store = JdbcSearchStore.sqlite(dir.resolve("coordinator.db"));
    server =
        CoordinatorServer.withBuiltIns(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                CoordinatorConfig.defaults(),
                store,
                new CoordinatorMetrics(registry, 16))
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    store.close();
  }

  SearchServiceGrpc.SearchServiceBlockingStub stub() {
    return SearchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  Search create(CreateSearchRequest request) {
    Search s = stub().createSearch(request);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(s).getState() == SearchState.SEARCH_STATE_RUNNING);
    return s;
  }

  Search get(Search s) {
    return stub().getSearch(GetSearchRequest.newBuilder().setName(s.getName()).build());
  }

  List<Trial> ask(Search s, int count, String client) {
    return stub()
        .askTrials(
            AskTrialsRequest.newBuilder()
                .setName(s.getName())
                .setCount(count)
                .setClientId(client)
                .build())
        .getTrialsList();
  }

  TellTrialRequest.Builder tell(Search s, String architecture) {
    return TellTrialRequest.newBuilder().setName(s.getName()).setArchitecture(architecture);
  }

  static void assertStatus(Status.Code code, String fragment, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void aTellNeedsAnAskAndAddTrialTakesTheRest() {
    Search s = create(TestSearches.clientEvaluated(4));
    assertStatus(
        Status.Code.FAILED_PRECONDITION,
        "AddTrial",
        () -> stub().tellTrial(tell(s, UNASKED).setObjective(90).build()));
    AddTrialRequest add =
        AddTrialRequest.newBuilder()
            .setName(s.getName())
            .setArchitecture(UNASKED)
            .setObjective(93.5)
            .setClientId("baseline")
            .build();
    Trial added = stub().addTrial(add).getTrial();
    assertEquals(TrialState.TRIAL_STATE_COMPLETED, added.getState());
    assertTrue(added.getAdded() && added.hasAskTime() && added.hasTellTime());
    assertEquals("baseline", added.getClientId());
    assertEquals(added, stub().addTrial(add).getTrial(), "a repeated AddTrial is a retry");
    assertStatus(
        Status.Code.ALREADY_EXISTS,
        "93.5",
        () -> stub().addTrial(add.toBuilder().setObjective(1).build()));

    Trial pending = ask(s, 1, "node-1").get(0);
    assertStatus(
        Status.Code.FAILED_PRECONDITION,
        "TellTrial",
        () -> stub().addTrial(add.toBuilder().setArchitecture(pending.getArchitecture()).build()));
    assertEquals(1, get(s).getProgress().getTrialsTold(), "the added trial counts");
  }

  @Test
  void trialsCanBeInfeasibleOrFailedWithAReason() {
    Search s = create(TestSearches.clientEvaluated(3));
    List<Trial> trials = ask(s, 3, "node-1");
    Trial infeasible =
        stub()
            .tellTrial(
                tell(s, trials.get(0).getArchitecture()).setInfeasibleReason("needs 90 GB").build())
            .getTrial();
    assertEquals(TrialState.TRIAL_STATE_INFEASIBLE, infeasible.getState());
    assertEquals("needs 90 GB", infeasible.getFailureReason());
    assertStatus(
        Status.Code.ALREADY_EXISTS,
        "INFEASIBLE",
        () ->
            stub()
                .tellTrial(
                    tell(s, trials.get(0).getArchitecture()).setFailureReason("oom").build()));
    stub().tellTrial(tell(s, trials.get(1).getArchitecture()).setFailureReason("oom").build());
    stub().tellTrial(tell(s, trials.get(2).getArchitecture()).setObjective(91).build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(s).getState() == SearchState.SEARCH_STATE_SUCCEEDED);
    List<Trial> listed =
        stub()
            .listTrials(ListTrialsRequest.newBuilder().setName(s.getName()).build())
            .getTrialsList();
    assertEquals(
        List.of(
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_FAILED,
            TrialState.TRIAL_STATE_INFEASIBLE),
        listed.stream().map(Trial::getState).toList(),
        "read back from the stored checkpoint");
    for (Trial t : listed) {
      assertEquals("node-1", t.getClientId());
      assertTrue(t.hasAskTime() && t.hasTellTime(), t.toString());
      assertFalse(t.getAdded());
    }
  }

  @Test
  void badTrialRequestsNameTheField() {
    Search s = create(TestSearches.clientEvaluated(3));
    String a = ask(s, 1, "n").get(0).getArchitecture();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "infeasible_reason",
        () -> stub().tellTrial(tell(s, a).setInfeasibleReason("x".repeat(1025)).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "client_id",
        () ->
            stub()
                .addTrial(
                    AddTrialRequest.newBuilder()
                        .setName(s.getName())
                        .setArchitecture(UNASKED)
                        .setObjective(1)
                        .setClientId("c".repeat(129))
                        .build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT, "objective", () -> stub().tellTrial(tell(s, a).build()));
  }

  ReportMeasurementResponse report(Search s, String architecture, long step, double value) {
    return stub()
        .reportMeasurement(
            ReportMeasurementRequest.newBuilder()
                .setName(s.getName())
                .setArchitecture(architecture)
                .setStep(step)
                .setValue(value)
                .build());
  }

  static CreateSearchRequest withStopping(EarlyStopping rule) {
    CreateSearchRequest r = TestSearches.clientEvaluated(6);
    return r.toBuilder().setSpec(r.getSpec().toBuilder().setEarlyStopping(rule)).build();
  }

  @Test
  void successiveHalvingStopsTheWorseHalfAtEachRung() {
    Search s =
        create(
            withStopping(
                EarlyStopping.newBuilder()
                    .setRule(EarlyStopping.Rule.RULE_SUCCESSIVE_HALVING)
                    .setReductionFactor(2)
                    .build()));
    List<Trial> t = ask(s, 3, "node-1");
    String a = t.get(0).getArchitecture();
    String b = t.get(1).getArchitecture();
    String c = t.get(2).getArchitecture();
    assertFalse(report(s, a, 1, 50).getShouldStop(), "alone at rung 1");
    ReportMeasurementResponse stopB = report(s, b, 1, 40);
    assertTrue(stopB.getShouldStop(), "below the best half of 2");
    assertTrue(stopB.getReason().contains("successive halving"), stopB.getReason());
    assertEquals(TrialState.TRIAL_STATE_STOPPED, stopB.getTrial().getState());
    assertEquals(40, stopB.getTrial().getObjective());
    assertFalse(report(s, c, 1, 60).getShouldStop(), "the best of 3");
    assertFalse(report(s, a, 2, 55).getShouldStop(), "alone at rung 2");
    assertFalse(report(s, a, 3, 58).getShouldStop(), "rung 2 was decided at step 2");
    stub().tellTrial(tell(s, a).setObjective(70).build());

    assertStatus(Status.Code.FAILED_PRECONDITION, "STOPPED", () -> report(s, b, 2, 45));
    assertStatus(
        Status.Code.ALREADY_EXISTS,
        "stopped early",
        () -> stub().tellTrial(tell(s, b).setObjective(80).build()));
    Search now = get(s);
    assertEquals(2, now.getProgress().getTrialsTold());
    assertEquals(1, now.getProgress().getTrialsStopped());
    assertEquals(2, now.getProgress().getStepsSaved(), "a completed trial ran to step 3");
    assertEquals(
        1.0,
        registry.get("nas.search.trials.stopped").functionCounter().count(),
        "the Prometheus counter follows");
    assertEquals(2.0, registry.get("nas.search.steps.saved").functionCounter().count());
    Trial listed =
        stub()
            .listTrials(ListTrialsRequest.newBuilder().setName(s.getName()).build())
            .getTrialsList()
            .stream()
            .filter(x -> x.getArchitecture().equals(a))
            .findFirst()
            .orElseThrow();
    assertEquals(3, listed.getMeasurementsCount());
  }

  /**
   * Every finished trial (completed, failed, stopped) and every pending one comes back after a
   * coordinator restart on the same store, with its asker, times, reason and measurements; the
   * pending one can still be told.
   */
  @Test
  void trialsSurviveARestartWithAskersTimesReasonsAndMeasurements() throws Exception {
    Search s =
        create(
            withStopping(
                EarlyStopping.newBuilder()
                    .setRule(EarlyStopping.Rule.RULE_SUCCESSIVE_HALVING)
                    .setReductionFactor(2)
                    .build()));
    List<Trial> t = new ArrayList<>(ask(s, 2, "node-1"));
    t.addAll(ask(s, 2, "node-2"));
    String a = t.get(0).getArchitecture();
    report(s, a, 1, 50);
    assertTrue(report(s, t.get(1).getArchitecture(), 1, 40).getShouldStop());
    stub().tellTrial(tell(s, a).setObjective(70).build());
    stub().tellTrial(tell(s, t.get(2).getArchitecture()).setFailureReason("oom").build());
    report(s, t.get(3).getArchitecture(), 1, 65);
    ListTrialsRequest list = ListTrialsRequest.newBuilder().setName(s.getName()).build();
    List<Trial> before = stub().listTrials(list).getTrialsList();

    stop();
    start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(s).getState() == SearchState.SEARCH_STATE_RUNNING);
    assertEquals(before, stub().listTrials(list).getTrialsList());
    Trial told =
        stub().tellTrial(tell(s, t.get(3).getArchitecture()).setObjective(66).build()).getTrial();
    assertEquals("node-2", told.getClientId());
    assertEquals(1, told.getMeasurementsCount());
    assertEquals(4, get(s).getProgress().getTrialsTold(), "stopped, failed and two told");
  }

  @Test
  void badStoppingSpecsAndMeasurementsNameTheField() {
    record Case(String field, EarlyStopping.Builder rule, String algorithm, Evaluator evaluator) {}
    EarlyStopping.Builder asha =
        EarlyStopping.newBuilder().setRule(EarlyStopping.Rule.RULE_SUCCESSIVE_HALVING);
    for (Case c :
        List.of(
            new Case("reduction_factor", asha.clone().setReductionFactor(1.5), "random", null),
            new Case("min_step", asha.clone().setMinStep(-1), "random", null),
            new Case(
                "rule",
                EarlyStopping.newBuilder().setRule(EarlyStopping.Rule.RULE_SURROGATE),
                "random",
                null),
            new Case("rule", asha.clone(), "random", Evaluator.EVALUATOR_BENCHMARK),
            new Case("rule", EarlyStopping.newBuilder().setQuantile(0.3), "random", null),
            new Case(
                "quantile",
                EarlyStopping.newBuilder()
                    .setRule(EarlyStopping.Rule.RULE_SURROGATE)
                    .setQuantile(1.5),
                "predictor_guided",
                null))) {
      CreateSearchRequest r = withStopping(c.rule().build());
      var spec = r.getSpec().toBuilder().setAlgorithm(c.algorithm());
      if (c.evaluator() != null) {
        spec.setEvaluator(c.evaluator());
      }
      CreateSearchRequest bad = r.toBuilder().setSpec(spec).build();
      assertStatus(
          Status.Code.INVALID_ARGUMENT,
          "spec.early_stopping." + c.field(),
          () -> stub().createSearch(bad));
    }
    Search s = create(withStopping(asha.build()));
    String a = ask(s, 1, "n").get(0).getArchitecture();
    assertStatus(Status.Code.INVALID_ARGUMENT, "step", () -> report(s, a, -1, 1));
    assertStatus(Status.Code.INVALID_ARGUMENT, "value", () -> report(s, a, 1, Double.NaN));
    assertStatus(Status.Code.FAILED_PRECONDITION, "not pending", () -> report(s, UNASKED, 1, 1));
  }
}
