package io.nassearch.client.cli;

import static io.nassearch.api.v1.SearchState.SEARCH_STATE_CANCELLED;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_FAILED;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_PENDING;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_RUNNING;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_SUCCEEDED;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_TRAINING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.ListSearchesResponse;
import io.nassearch.api.v1.Loss;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.client.testing.TestData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SearchCommandTest extends CliTestBase {
  @Test
  void createSendsEveryOption() {
    service.onCreate = r -> TestData.search("s1", SEARCH_STATE_PENDING);

    int exit =
        cli.search(
            "create",
            "--space",
            "nb201",
            "--objective",
            "cifar100_valid",
            "--algorithm",
            "evolution",
            "--set",
            "population_size=64",
            "--set",
            "sample_size=16",
            "--training-budget",
            "100",
            "--budget",
            "3000",
            "--seed",
            "9",
            "--top-k",
            "5",
            "--batch-size",
            "64",
            "--loss",
            "hinge",
            "--name",
            "demo",
            "--request-id",
            "r1");

    assertEquals(0, exit, cli.err());
    assertEquals("created search s1 (PENDING)\n", cli.out());
    CreateSearchRequest expected =
        CreateSearchRequest.newBuilder()
            .setSpec(
                SearchSpec.newBuilder()
                    .setSpace("nb201")
                    .setObjective("cifar100_valid")
                    .setAlgorithm("evolution")
                    .putAlgorithmConfig("population_size", 64)
                    .putAlgorithmConfig("sample_size", 16)
                    .setTrainingBudget(100)
                    .setCandidateBudget(3000)
                    .setSeed(9)
                    .setTopK(5)
                    .setBatchSize(64)
                    .setSurrogate(SurrogateSpec.newBuilder().setLoss(Loss.LOSS_PAIRWISE_HINGE)))
            .setDisplayName("demo")
            .setRequestId("r1")
            .build();
    assertEquals(List.of(expected), service.requests(CreateSearchRequest.class));
  }

  @Test
  void createSendsTradeOffsAndTheWindow() {
    service.onCreate = r -> TestData.search("s1", SEARCH_STATE_PENDING);

    int exit =
        cli.search(
            "create",
            "--algorithm",
            "guided",
            "--cost",
            "lat_ms_pixel3",
            "--constraint",
            "lat_ms_pixel3<=10",
            "--constraint",
            "params_cifar10>=0.5",
            "--descriptors",
            "params_cifar10,lat_ms_pixel3",
            "--descriptor-bins",
            "4",
            "--batches-in-flight",
            "8");

    assertEquals(0, exit, cli.err());
    SearchSpec spec = service.requests(CreateSearchRequest.class).get(0).getSpec();
    assertEquals("lat_ms_pixel3", spec.getCost());
    assertEquals(2, spec.getConstraintsCount());
    assertEquals("lat_ms_pixel3", spec.getConstraints(0).getColumn());
    assertEquals(10, spec.getConstraints(0).getMax());
    assertEquals(0.5, spec.getConstraints(1).getMin());
    assertEquals(List.of("params_cifar10", "lat_ms_pixel3"), spec.getDescriptorsList());
    assertEquals(4, spec.getDescriptorBins());
    assertEquals(8, spec.getBatchesInFlight());
  }

  @Test
  void createRefusesAnExplicitZeroInsteadOfMeaningTheDefault() {
    assertEquals(2, cli.search("create", "--budget", "0"));
    assertTrue(
        cli.err()
            .contains("--budget must be positive, got 0 (leave it out for the server default)"),
        cli.err());
    assertEquals(2, cli.search("create", "--constraint", "lat_ms_pixel3~10"));
    assertTrue(cli.err().contains("COLUMN<=VALUE"), cli.err());
    assertTrue(service.requests(CreateSearchRequest.class).isEmpty());
  }

  @Test
  void createWithJsonPrintsTheStoredSearchAsOneJsonLine() throws Exception {
    Search stored = TestData.search("s1", SEARCH_STATE_PENDING);
    service.onCreate = r -> stored;

    assertEquals(0, cli.search("create", "--json"));

    List<String> lines = cli.out().lines().toList();
    assertEquals(1, lines.size());
    assertEquals(stored, parse(lines.get(0), Search.newBuilder()));
  }

  @Test
  void askWithJsonPrintsEachTrialAsOneJsonLine() throws Exception {
    io.nassearch.api.v1.Trial trial =
        io.nassearch.api.v1.Trial.newBuilder()
            .setArchitecture(TestData.ARCH)
            .setState(io.nassearch.api.v1.TrialState.TRIAL_STATE_PENDING)
            .setClientId("c")
            .build();
    service.onAsk =
        r ->
            io.nassearch.api.v1.AskTrialsResponse.newBuilder()
                .addTrials(trial)
                .setSearch(TestData.search("s1", SEARCH_STATE_PENDING))
                .build();

    assertEquals(0, cli.search("ask", "s1", "--json"), cli.err());

    List<String> lines = cli.out().lines().toList();
    assertEquals(1, lines.size());
    assertEquals(trial, parse(lines.get(0), io.nassearch.api.v1.Trial.newBuilder()));
  }

  @Test
  void createWatchFollowsProgressThenPrintsResults() {
    service.onCreate = r -> TestData.search("s1", SEARCH_STATE_PENDING);
    service.onWatch = r -> successfulRun();
    service.onResults = r -> TestData.results("s1");

    int exit = cli.search("create", "--watch", "--top-k", "2");

    assertEquals(0, exit, cli.err());
    List<String> lines = cli.out().lines().toList();
    assertEquals("created search s1 (PENDING)", lines.get(0));
    assertEquals("TRAINING 0/2000 scored, best -, 0.0 cand/s: training surrogate", lines.get(1));
    assertTrue(
        lines.get(2).startsWith("RUNNING 1000/2000 scored, best 1.2500 |nor_conv"), lines.get(2));
    assertEquals("search s1 SUCCEEDED", lines.get(4));
    assertTrue(
        lines.get(5).startsWith("search s1 (SUCCEEDED), objective cifar10_valid, optimum 91.61"));
    assertTrue(lines.get(6).startsWith("RANK  ARCHITECTURE"), lines.get(6));
    assertEquals(2, service.requests(GetResultsRequest.class).get(0).getTopK());
  }

  @Test
  void watchOfAFailedSearchExitsOneAndSaysWhy() {
    service.onWatch = r -> List.of(TestData.event("s1", SEARCH_STATE_FAILED, 10, "worker lost"));

    int exit = cli.search("watch", "s1");

    assertEquals(ExitCodes.SEARCH_NOT_SUCCEEDED, exit);
    assertEquals("search s1 failed: worker lost\n", cli.err());
  }

  @Test
  void createWatchOfACancelledSearchStillPrintsPartialResults() {
    service.onCreate = r -> TestData.search("s1", SEARCH_STATE_PENDING);
    service.onWatch = r -> List.of(TestData.event("s1", SEARCH_STATE_CANCELLED, 10, "cancelled"));
    service.onResults = r -> TestData.results("s1");

    assertEquals(ExitCodes.SEARCH_NOT_SUCCEEDED, cli.search("create", "--watch"));
    assertEquals(1, service.requests(GetResultsRequest.class).size());
  }

  @Test
  void watchWithJsonPrintsOneEventPerLine() throws Exception {
    service.onWatch = r -> successfulRun();

    assertEquals(0, cli.search("watch", "searches/s1", "--json"));

    List<String> lines = cli.out().lines().toList();
    assertEquals(successfulRun().size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(successfulRun().get(i), parse(lines.get(i), SearchEvent.newBuilder()));
    }
  }

  @Test
  void resultsPrintsAnAlignedTable() {
    service.onResults = r -> TestData.results("s1");

    assertEquals(0, cli.search("results", "s1", "--top-k", "2"));

    String arch2 = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    String pad = " ".repeat(TestData.ARCH.length() - arch2.length());
    String pad0 = " ".repeat(TestData.ARCH.length() - "ARCHITECTURE".length());
    assertEquals(
        "search s1 (SUCCEEDED), objective cifar10_valid, optimum 91.61, test accuracy optimum 94.37\n"
            + "RANK  ARCHITECTURE"
            + pad0
            + "  PREDICTED  OBJECTIVE  TEST ACC  TEST REGRET  INDEX\n"
            + "   1  "
            + TestData.ARCH
            + "     1.2500      91.12     93.76         0.61   1462\n"
            + "   2  "
            + arch2
            + pad
            + "     0.5000          -         -            -      -\n"
            + "picked (highest cifar10_valid of these 2): rank 1 "
            + TestData.ARCH
            + ", test accuracy 93.76% (0.61 points below the table's best test accuracy 94.37%)\n",
        cli.out());
    assertEquals(2, service.requests(GetResultsRequest.class).get(0).getTopK());
  }

  @Test
  void resultsWithJsonPrintTheResponse() throws Exception {
    GetResultsResponse response = TestData.results("s1");
    service.onResults = r -> response;

    assertEquals(0, cli.search("results", "s1", "--json"));

    assertEquals(response, parse(cli.out().strip(), GetResultsResponse.newBuilder()));
  }

  @Test
  void listPrintsEveryPage() {
    service.onList =
        r ->
            r.getPageToken().isEmpty()
                ? ListSearchesResponse.newBuilder()
                    .addSearches(TestData.search("a", SEARCH_STATE_RUNNING, 500))
                    .setNextPageToken("p2")
                    .build()
                : ListSearchesResponse.newBuilder()
                    .addSearches(TestData.search("b", SEARCH_STATE_SUCCEEDED, 2000))
                    .build();

    assertEquals(0, cli.search("list"));

    assertEquals(
        "ID  STATE      SPACE  ALGORITHM              DONE    OF  UNIT        CREATED               NAME\n"
            + "a   RUNNING    nb201  regularized_evolution   500  2000  candidates  2023-11-14T22:13:20Z  run a\n"
            + "b   SUCCEEDED  nb201  regularized_evolution  2000  2000  candidates  2023-11-14T22:13:20Z  run b\n",
        cli.out());
  }

  @Test
  void getPrintsDetails() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING, 600);

    assertEquals(0, cli.search("get", "s1"));

    assertTrue(cli.out().contains("state:         RUNNING\n"), cli.out());
    assertTrue(cli.out().contains("algorithm:     regularized_evolution {population_size=50.0}\n"));
    assertTrue(cli.out().contains("progress:      600/2000 scored, 812.5 candidates/s"));
  }

  @Test
  void aGuidedSearchShowsTrialsToldOfItsQueryBudget() {
    io.nassearch.api.v1.Search base = TestData.search("g1", SEARCH_STATE_RUNNING, 0);
    io.nassearch.api.v1.Search guided =
        base.toBuilder()
            .setProgress(
                base.getProgress().toBuilder()
                    .setQueryBudget(100)
                    .setTrialsTold(40)
                    .setTrialsPending(4)
                    .setSurrogateRetrains(3)
                    .setBestTrueObjective(91.25)
                    .setBestTrueArchitecture(TestData.ARCH))
            .build();
    service.onGet = r -> guided;
    service.onList = r -> ListSearchesResponse.newBuilder().addSearches(guided).build();

    assertEquals(0, cli.search("get", "g1"));
    assertTrue(
        cli.out().contains("progress:      40/100 trials told, 4 pending, 0 stopped early"),
        cli.out());
    assertTrue(cli.out().contains("best:          91.2500 " + TestData.ARCH), cli.out());
    assertFalse(cli.out().contains("scored"), cli.out());

    assertEquals(0, cli.search("list"));
    assertTrue(cli.out().contains("  40  100  trials  "), cli.out());
  }

  @Test
  void cancelPrintsTheNewState() {
    service.onCancel = r -> TestData.search("s1", SEARCH_STATE_CANCELLED);

    assertEquals(0, cli.search("cancel", "s1"));

    assertEquals("search s1 CANCELLED\n", cli.out());
  }

  @Test
  void notFoundPrintsTheCodeAndExitsTwo() {
    service.onGet =
        r -> {
          throw Status.NOT_FOUND.withDescription("no search searches/zz").asRuntimeException();
        };

    assertEquals(ExitCodes.REJECTED, cli.search("get", "zz"));

    assertEquals("error: NOT_FOUND: no search searches/zz\n", cli.err());
    assertEquals("", cli.out());
  }

  @Test
  void invalidArgumentPrintsFieldViolations() {
    service.onCreate =
        r -> {
          throw TestData.badRequest("top_k out of range", "spec.top_k", "must be 1..1000");
        };

    assertEquals(ExitCodes.REJECTED, cli.search("create", "--top-k", "5000"));

    assertEquals(
        "error: INVALID_ARGUMENT: top_k out of range\n  spec.top_k: must be 1..1000\n", cli.err());
  }

  @Test
  void unreachableCoordinatorExitsThree() {
    CliHarness offline = new CliHarness(grpc.channelToNowhere());

    assertEquals(ExitCodes.UNAVAILABLE, offline.search("list"));

    assertTrue(offline.err().startsWith("error: UNAVAILABLE: "), offline.err());
  }

  @Test
  void unknownLossIsAUsageErrorAndSendsNothing() {
    assertEquals(2, cli.search("create", "--loss", "l1"));

    assertTrue(cli.err().contains("Expected --loss to be one of"), cli.err());
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void malformedSearchIdIsAUsageError() {
    assertEquals(ExitCodes.REJECTED, cli.search("get", "models/m1"));

    assertTrue(cli.err().startsWith("error: Expected a search id"), cli.err());
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void timeoutOptionBecomesTheCallDeadline() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING);

    assertEquals(0, cli.search("get", "s1", "--timeout", "250ms"));

    long remainingMs = service.deadlines.get(0).orElseThrow().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(remainingMs > 0 && remainingMs <= 250, "remaining " + remainingMs);
  }

  @Test
  void coordinatorDefaultsToTheEnvironmentOrLocalhost() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING);
    String expected = System.getenv().getOrDefault("NAS_COORDINATOR", "localhost:7070");

    cli.search("get", "s1");
    assertEquals(expected, cli.lastOptions.get().coordinator());

    cli.search("get", "s1", "--coordinator", "coord:9000");
    assertEquals("coord:9000", cli.lastOptions.get().coordinator());
  }

  @Test
  void everyCommandHasHelp() {
    for (String sub : new String[] {"create", "watch", "results", "list", "get", "cancel"}) {
      CliHarness fresh = new CliHarness(grpc.channelToNowhere());
      assertEquals(0, fresh.search(sub, "--help"), sub);
      assertTrue(fresh.out().contains("--coordinator=HOST:PORT"), sub + ": " + fresh.out());
      assertTrue(fresh.out().contains("--json"), sub);
    }
    assertEquals(0, cli.search("--help"));
    assertTrue(cli.out().contains("create"));
  }

  @Test
  void searchWithoutSubcommandPrintsUsageAndExitsTwo() {
    assertEquals(2, cli.search());

    assertTrue(cli.err().contains("Usage: search"), cli.err());
  }

  private static List<SearchEvent> successfulRun() {
    return List.of(
        TestData.event("s1", SEARCH_STATE_TRAINING, 0, "training surrogate"),
        TestData.event("s1", SEARCH_STATE_RUNNING, 1000, "surrogate trained (tau 0.81)"),
        TestData.event("s1", SEARCH_STATE_SUCCEEDED, 2000, "done"));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(String json, Message.Builder builder)
      throws Exception {
    JsonFormat.parser().merge(json, builder);
    return (T) builder.build();
  }
}
