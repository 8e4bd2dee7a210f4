package io.nassearch.client.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nassearch.client.EarlyStopping;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.client.StopAdvice;
import io.nassearch.client.SurrogateOptions;
import io.nassearch.client.Trial;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.store.InMemorySearchStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ask/tell over real gRPC with real TensorFlow workers: an external loop asks a predictor-guided
 * search for trials, "trains" them by reading the benchmark table, and tells the results; the
 * surrogate ensemble is retrained on the told results as the search goes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AskTellIT {
  static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  static final BenchmarkTable TABLE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).table().orElseThrow();

  static SearchRequest clientSearch(int queryBudget) {
    return smallEnsemble(SearchRequest.PREDICTOR_GUIDED, queryBudget, 3)
        .space("nb201")
        .evaluator(SearchRequest.Evaluator.CLIENT)
        .algorithmSetting("initial_queries", 10)
        .algorithmSetting("queries_per_round", 5)
        .algorithmSetting("random_candidates", 200)
        .batchSize(256)
        .build();
  }

  /** A search with a small, quickly trained surrogate ensemble. */
  static SearchRequest.Builder smallEnsemble(String algorithm, int queryBudget, long seed) {
    return SearchRequest.builder()
        .algorithm(algorithm)
        .queryBudget(queryBudget)
        .algorithmSetting("ensemble_size", 2)
        .surrogate(new SurrogateOptions("", 32, 2, 0, 0, 0, 60, 0, 0, 0))
        .seed(seed);
  }

  static LocalCluster inProcessCluster(int workers) throws Exception {
    return new LocalCluster(LocalCluster.Transport.IN_PROCESS, workers, LocalCluster.testConfig());
  }

  /** Creates the search, waits for its end and checks that it succeeded. */
  static Search runToSuccess(NasClient client, SearchRequest request) {
    Search done =
        client.awaitCompletion(client.createSearch(request).id(), Duration.ofMinutes(2), e -> {});
    assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
    return done;
  }

  /** Skips without the shared data, but fails when CI=true. */
  static void requireData(boolean present, String file) {
    if (!present) {
      String message =
          "needs "
              + file
              + " in the data directory; looked at "
              + DataDirectory.fromEnvironment().placesLooked();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true, so this fails instead of skipping)");
      }
      Assumptions.abort(message);
    }
  }

  static double truth(String architecture) {
    return TABLE.value(SPACE.parse(architecture), "cifar10_valid").orElseThrow();
  }

  @Test
  void anExternalLoopAsksAndTellsAndTheSurrogateIsRetrained() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry, 16);
    try (LocalCluster cluster =
        new LocalCluster(LocalCluster.Transport.NETTY, 2, LocalCluster.testConfig(), metrics)) {
      NasClient client = cluster.client();
      Search search = client.createSearch(clientSearch(30));
      Set<String> seen = new HashSet<>();
      double best = Double.NEGATIVE_INFINITY;
      int told = 0;
      while (told < 30) {
        List<Trial> trials = client.askTrials(search.id(), 5, "loop-1");
        assertTrue(!trials.isEmpty() && trials.size() <= 5, "asked 5, got " + trials.size());
        // Asking again before telling hands back the same pending trials to the same client.
        assertEquals(trials, client.askTrials(search.id(), 5, "loop-1"));
        for (Trial t : trials) {
          assertEquals(Trial.State.PENDING, t.state());
          assertTrue(seen.add(t.architecture()), "suggested twice: " + t.architecture());
          double v = truth(t.architecture());
          Trial stored = client.tellTrial(search.id(), t.architecture(), v);
          assertEquals(Trial.State.COMPLETED, stored.state());
          assertEquals(v, stored.objective().orElseThrow());
          best = Math.max(best, v);
          told++;
        }
      }
      Search done = client.awaitCompletion(search.id(), Duration.ofSeconds(30), e -> {});
      assertEquals(SearchState.SUCCEEDED, done.state());
      var trials = done.progress().trials();
      assertEquals(30, trials.told());
      assertEquals(0, trials.pending());
      assertEquals(4, trials.surrogateRetrains(), "retrained after 10, 15, 20 and 25 results");
      assertEquals(best, trials.bestObjective().orElseThrow());

      Results results = client.results(search.id(), 5);
      assertEquals(best, results.candidates().get(0).trueObjective().orElseThrow());
      assertEquals(30, client.listTrials(search.id()).size());
      // The README's loop `while (!(trials = askTrials(...)).isEmpty())` ends cleanly.
      assertEquals(List.of(), client.askTrials(search.id(), 1, "loop-1"));

      // What /metrics serves: the retrainings and trials of this search.
      assertEquals(
          4.0,
          registry
              .get("nas.search.surrogate.retrains")
              .tag("search", search.id())
              .functionCounter()
              .count());
      assertEquals(
          30.0,
          registry
              .get("nas.search.trials.told")
              .tag("search", search.id())
              .functionCounter()
              .count());
    }
  }

  /**
   * With evaluator BENCHMARK the coordinator runs the whole loop itself, answering from the table.
   */
  @Test
  void aBenchmarkEvaluatedSearchRunsOnTheCoordinatorAndIsReproducible() throws Exception {
    try (LocalCluster cluster = inProcessCluster(2)) {
      NasClient client = cluster.client();
      SearchRequest request =
          smallEnsemble("guided", 25, 9)
              .algorithmSetting("queries_per_round", 5)
              .algorithmSetting("random_candidates", 200)
              .build();
      Search first = runToSuccess(client, request);
      assertEquals("predictor_guided", first.spec().algorithm());
      assertEquals(25, first.progress().trials().told());
      assertEquals(3, first.progress().trials().surrogateRetrains(), "after 10, 15 and 20 results");
      List<Trial> trials = client.listTrials(first.id());
      assertEquals(25, trials.size());
      double best = Double.NEGATIVE_INFINITY;
      for (Trial t : trials) {
        assertEquals(
            truth(t.architecture()), t.objective().orElseThrow(), "told the table's value");
        best = Math.max(best, t.objective().getAsDouble());
      }
      Results results = client.results(first.id(), 3);
      assertEquals(best, results.candidates().get(0).trueObjective().orElseThrow());
      assertTrue(results.candidates().get(0).trueTestAccuracy().isPresent());
      // Same seed, same trials and results (not the same times), whatever the workers did.
      Search second = runToSuccess(client, request);
      java.util.function.Function<List<Trial>, List<String>> outcomes =
          l ->
              l.stream()
                  .map(t -> t.architecture() + " " + t.state() + " " + t.objective())
                  .toList();
      assertEquals(outcomes.apply(trials), outcomes.apply(client.listTrials(second.id())));
      NasClientException notClient =
          assertThrows(NasClientException.class, () -> client.askTrials(second.id(), 1, "x"));
      assertEquals(Status.Code.FAILED_PRECONDITION, notClient.code());
    }
  }

  /**
   * An algorithm added as a class, a services line and a contract test runs through the service
   * with no other edit.
   */
  @Test
  void bananasRunsThroughTheServiceWithTheBenchmarkEvaluator() throws Exception {
    try (LocalCluster cluster = inProcessCluster(2)) {
      NasClient client = cluster.client();
      SearchRequest request =
          smallEnsemble("bananas", 20, 4).algorithmSetting("queries_per_round", 5).build();
      Search done = runToSuccess(client, request);
      assertEquals(
          SearchRequest.Evaluator.BENCHMARK,
          done.spec().evaluator(),
          "bananas defaults to the table");
      assertEquals(20, done.progress().trials().told());
      assertEquals(2, done.progress().trials().surrogateRetrains(), "after 10 and 15 results");
      List<Trial> trials = client.listTrials(done.id());
      assertEquals(
          20,
          new HashSet<>(trials.stream().map(Trial::architecture).toList()).size(),
          "no repeated query");
      NasClientException surrogate =
          assertThrows(
              NasClientException.class,
              () ->
                  client.createSearch(
                      SearchRequest.builder()
                          .algorithm("bananas")
                          .evaluator(SearchRequest.Evaluator.SURROGATE)
                          .build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, surrogate.code());
      assertTrue(surrogate.getMessage().contains("spec.evaluator"), surrogate.getMessage());
    }
  }

  /**
   * Every algorithm takes ground truth from clients: regularized evolution as a plain ask/tell
   * loop.
   */
  @Test
  void evolutionAsksAndTellsLikeAnyAlgorithm() throws Exception {
    try (LocalCluster cluster = inProcessCluster(1)) {
      NasClient client = cluster.client();
      Search search =
          client.createSearch(
              SearchRequest.builder()
                  .algorithm("evolution")
                  .evaluator(SearchRequest.Evaluator.CLIENT)
                  .queryBudget(40)
                  .algorithmSetting("population_size", 10)
                  .algorithmSetting("sample_size", 3)
                  .seed(5)
                  .build());
      Set<String> seen = new HashSet<>();
      double best = Double.NEGATIVE_INFINITY;
      for (int told = 0; told < 40; ) {
        List<Trial> trials = client.askTrials(search.id(), 4, "evolver");
        assertTrue(!trials.isEmpty(), "no trials after " + told);
        for (Trial t : trials) {
          assertTrue(seen.add(t.architecture()), "handed out twice: " + t.architecture());
          double v = truth(t.architecture());
          best = Math.max(best, v);
          client.tellTrial(search.id(), t.architecture(), v);
          told++;
        }
      }
      Search done = client.getSearch(search.id());
      assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
      assertEquals(0, done.progress().trials().pending());
      assertEquals(
          best, client.results(done.id(), 1).candidates().get(0).trueObjective().orElseThrow());
    }
  }

  /**
   * A coordinator restart between tells loses nothing: pending trials come back and the search ends
   * as if uninterrupted.
   */
  @Test
  void aRestartedCoordinatorContinuesFromTheLastTell() throws Exception {
    SearchRequest request = clientSearch(20);
    List<String> uninterrupted;
    try (LocalCluster cluster = inProcessCluster(1)) {
      uninterrupted = driveToEnd(cluster.client(), cluster.client().createSearch(request).id());
    }
    InMemorySearchStore store = new InMemorySearchStore();
    String id;
    List<Trial> pendingBefore;
    try (LocalCluster first =
        new LocalCluster(
            LocalCluster.Transport.IN_PROCESS,
            1,
            LocalCluster.testConfig(),
            CoordinatorMetrics.none(),
            store)) {
      NasClient client = first.client();
      id = client.createSearch(request).id();
      for (int told = 0; told < 12; ) {
        for (Trial t : client.askTrials(id, 4, "loop")) {
          client.tellTrial(id, t.architecture(), truth(t.architecture()));
          told++;
        }
      }
      pendingBefore = client.askTrials(id, 3, "loop");
    }
    try (LocalCluster second =
        new LocalCluster(
            LocalCluster.Transport.IN_PROCESS,
            1,
            LocalCluster.testConfig(),
            CoordinatorMetrics.none(),
            store)) {
      NasClient client = second.client();
      assertEquals(
          pendingBefore, client.askTrials(id, 3, "loop"), "pending trials survive the restart");
      assertEquals(uninterrupted, driveToEnd(client, id));
    }
  }

  /**
   * Asks 4 at a time and tells the table's values until the search ends; returns the told
   * architectures in order.
   */
  private static List<String> driveToEnd(NasClient client, String id) {
    List<Trial> trials;
    while (!(trials = client.askTrials(id, 4, "loop")).isEmpty()) {
      for (Trial t : trials) {
        client.tellTrial(id, t.architecture(), truth(t.architecture()));
      }
      if (client.getSearch(id).state() == SearchState.SUCCEEDED) {
        break;
      }
    }
    return client.listTrials(id).stream().map(Trial::architecture).toList();
  }

  /**
   * Accuracy against HELP's Pixel 3 latency under a latency cap: the returned front is
   * non-dominated, feasible, and its hypervolume is reported against the table's true front.
   */
  @Test
  void aMultiObjectiveSearchReturnsAFeasibleNonDominatedFront() throws Exception {
    requireData(TABLE_WITH_LATENCY.columns().contains("lat_ms_pixel3"), "nb201_latency_help.csv");
    try (LocalCluster cluster = inProcessCluster(2)) {
      NasClient client = cluster.client();
      SearchRequest request =
          smallEnsemble(SearchRequest.PREDICTOR_GUIDED, 40, 2)
              .cost("lat_ms_pixel3")
              .constraint(SearchRequest.Constraint.atMost("lat_ms_pixel3", 12))
              .algorithmSetting("random_candidates", 300)
              .build();
      Search done = runToSuccess(client, request);
      for (Trial t : client.listTrials(done.id())) {
        assertTrue(latency(t.architecture()) <= 12, "evaluated an infeasible " + t.architecture());
      }
      Results results = client.results(done.id(), 5);
      List<io.nassearch.client.Candidate> front = results.paretoFront();
      assertEquals(8, front.size(), "front of the seeded search");
      for (int i = 0; i < front.size(); i++) {
        io.nassearch.client.Candidate c = front.get(i);
        assertEquals(latency(c.architecture()), c.cost().orElseThrow(), 1e-9);
        assertEquals(truth(c.architecture()), c.trueObjective().orElseThrow(), 1e-9);
        if (i > 0) {
          io.nassearch.client.Candidate prev = front.get(i - 1);
          assertTrue(
              c.cost().getAsDouble() > prev.cost().getAsDouble()
                  && c.trueObjective().getAsDouble() > prev.trueObjective().getAsDouble(),
              "cheapest first, each point better in accuracy: non-dominated");
        }
      }
      double ratio = results.hypervolumeRatio().orElseThrow();
      assertEquals(0.6508671071423134, ratio, 1e-9, "hypervolume ratio of the seeded search");

      record Case(String what, SearchRequest request) {}
      for (Case c :
          List.of(
              new Case(
                  "unknown cost column",
                  SearchRequest.builder().algorithm("guided").cost("latency_on_my_phone").build()),
              new Case(
                  "nothing feasible",
                  SearchRequest.builder()
                      .algorithm("guided")
                      .constraint(SearchRequest.Constraint.atMost("lat_ms_pixel3", -1))
                      .build()),
              new Case(
                  "cost without guided search",
                  SearchRequest.builder().cost("lat_ms_pixel3").build()))) {
        NasClientException e =
            assertThrows(
                NasClientException.class, () -> client.createSearch(c.request()), c.what());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code(), c.what() + ": " + e.getMessage());
      }
    }
  }

  /**
   * MAP-Elites over parameters x FLOPs: every archive cell holds the best told architecture that
   * falls in it.
   */
  @Test
  void aQualityDiversitySearchReturnsItsArchive() throws Exception {
    try (LocalCluster cluster = inProcessCluster(2)) {
      NasClient client = cluster.client();
      SearchRequest request =
          smallEnsemble(SearchRequest.PREDICTOR_GUIDED, 40, 6)
              .descriptors(List.of("params_cifar10", "flops_cifar10"), 4)
              // retrainings start from the previous models, sent to the workers
              .algorithmSetting("warm_start", 1)
              .algorithmSetting("random_candidates", 300)
              .build();
      Search done = runToSuccess(client, request);
      Results results = client.results(done.id(), 3);
      List<Results.ArchiveCell> archive = results.archive();
      assertEquals(4, archive.size(), "cells filled by the seeded search");
      List<Trial> trials = client.listTrials(done.id());
      for (Results.ArchiveCell cell : archive) {
        assertEquals(2, cell.bins().size());
        double params =
            TABLE.value(SPACE.parse(cell.elite().architecture()), "params_cifar10").orElseThrow();
        assertTrue(
            params >= cell.lower().get(0) - 1e-6 && params <= cell.upper().get(0) + 1e-6,
            "elite inside its cell");
        // No told trial in the same cell beats its elite.
        for (Trial t : trials) {
          double p = TABLE.value(SPACE.parse(t.architecture()), "params_cifar10").orElseThrow();
          double f = TABLE.value(SPACE.parse(t.architecture()), "flops_cifar10").orElseThrow();
          boolean inCell =
              p >= cell.lower().get(0)
                  && p < cell.upper().get(0)
                  && f >= cell.lower().get(1)
                  && f < cell.upper().get(1);
          if (inCell) {
            assertTrue(
                t.objective().orElseThrow() <= cell.elite().trueObjective().orElseThrow() + 1e-9);
          }
        }
      }
      double coverage = results.archiveCoverage().orElseThrow();
      assertEquals(1.0, coverage, "every reachable cell of the 4 x 4 grid");
      NasClientException both =
          assertThrows(
              NasClientException.class,
              () ->
                  client.createSearch(
                      SearchRequest.builder()
                          .algorithm("guided")
                          .cost("params_cifar10")
                          .descriptors(List.of("flops_cifar10"), 4)
                          .build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, both.code());
    }
  }

  /**
   * When the constraints leave fewer architectures than the budget, the search evaluates them all
   * and ends.
   */
  @Test
  void aSearchThatRunsOutOfFeasibleArchitecturesSucceedsWithWhatItFound() throws Exception {
    try (LocalCluster cluster = inProcessCluster(1)) {
      NasClient client = cluster.client();
      long feasible = 0;
      for (long i = 0; i < SPACE.size(); i++) {
        feasible +=
            TABLE.value(SPACE.fromOrdinal(i), "cifar10_valid").orElseThrow() >= 91.5 ? 1 : 0;
      }
      SearchRequest request =
          SearchRequest.builder()
              .algorithm("guided")
              .queryBudget(20)
              .seed(1)
              .constraint(SearchRequest.Constraint.atLeast("cifar10_valid", 91.5))
              .build();
      Search done = runToSuccess(client, request);
      assertEquals(
          feasible,
          client.listTrials(done.id()).size(),
          "every feasible architecture, nothing else");
      assertEquals(feasible, done.progress().trials().told());
    }
  }

  /** A space declared as data (NAS-Bench-Graph) is searched over gRPC like the built-in one. */
  @Test
  void aDeclaredSpaceIsSearchedThroughTheService() throws Exception {
    DataDirectory data = DataDirectory.fromEnvironment();
    requireData(data.find("nasbench_graph.csv").isPresent(), "nasbench_graph.csv");
    var graph =
        io.nassearch.coordinator.catalog.SpaceCatalog.builtIns(data).stream()
            .filter(l -> l.space().id().equals("nasbench_graph"))
            .findFirst()
            .orElseThrow();
    try (LocalCluster cluster = inProcessCluster(1)) {
      NasClient client = cluster.client();
      SearchRequest request =
          smallEnsemble("guided", 20, 5)
              .space("nasbench_graph")
              .objective("citeseer_valid")
              .algorithmSetting("random_candidates", 200)
              .build();
      Search done = runToSuccess(client, request);
      for (Trial t : client.listTrials(done.id())) {
        var a = graph.space().parse(t.architecture());
        assertEquals(
            graph.table().orElseThrow().value(a, "citeseer_valid").orElseThrow(),
            t.objective().orElseThrow(),
            1e-9);
      }
      io.nassearch.client.Candidate best = client.results(done.id(), 1).candidates().get(0);
      assertEquals(
          graph
              .table()
              .orElseThrow()
              .value(graph.space().parse(best.architecture()), "citeseer_test")
              .orElseThrow(),
          best.trueTestAccuracy().orElseThrow(),
          1e-9,
          "the test column next to the objective is reported");
      NasClientException tooBig =
          assertThrows(
              NasClientException.class,
              () ->
                  client.createSearch(
                      SearchRequest.builder()
                          .space("nb101_subset")
                          .trainingBudget(100)
                          .candidateBudget(600)
                          .build()));
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          tooBig.code(),
          "a candidate budget over the 500-cell space");
    }
  }

  static final BenchmarkTable TABLE_WITH_LATENCY =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.fromEnvironment())
          .table()
          .orElseThrow();

  static double latency(String architecture) {
    return TABLE_WITH_LATENCY.value(SPACE.parse(architecture), "lat_ms_pixel3").orElseThrow();
  }

  @Test
  void badTellsAndAsksGetClearStatusesAndLoseNothing() throws Exception {
    try (LocalCluster cluster = inProcessCluster(1)) {
      NasClient client = cluster.client();
      Search search = client.createSearch(clientSearch(12));
      String arch = client.askTrials(search.id(), 1, "c").get(0).architecture();
      client.tellTrial(search.id(), arch, 80.0);

      record Case(String what, Status.Code code, Runnable call) {}
      List<Case> cases =
          List.of(
              new Case(
                  "invalid architecture",
                  Status.Code.INVALID_ARGUMENT,
                  () -> client.tellTrial(search.id(), "|bogus~0|", 1)),
              new Case(
                  "NaN objective",
                  Status.Code.INVALID_ARGUMENT,
                  () -> client.tellTrial(search.id(), SPACE.exampleArchitecture(), Double.NaN)),
              new Case(
                  "count 0 asks for the default, 5000 is too many",
                  Status.Code.INVALID_ARGUMENT,
                  () -> client.askTrials(search.id(), 5000, "c")),
              new Case(
                  "unknown search",
                  Status.Code.NOT_FOUND,
                  () -> client.askTrials("abcdef123456", 1, "c")));
      for (Case c : cases) {
        NasClientException e = assertThrows(NasClientException.class, c.call::run, c.what);
        assertEquals(c.code, e.code(), c.what + ": " + e.getMessage());
      }
      // Telling the same value again (a retry) is fine; a different one is refused and changes
      // nothing.
      assertEquals(80.0, client.tellTrial(search.id(), arch, 80.0).objective().orElseThrow());
      NasClientException conflict =
          assertThrows(NasClientException.class, () -> client.tellTrial(search.id(), arch, 99.0));
      assertEquals(Status.Code.ALREADY_EXISTS, conflict.code());
      assertTrue(conflict.getMessage().contains("80.0"), conflict.getMessage());
      assertEquals(
          80.0,
          client.listTrials(search.id()).stream()
              .filter(t -> t.architecture().equals(arch))
              .findFirst()
              .orElseThrow()
              .objective()
              .orElseThrow());
      // A failure is stored as such.
      String other = client.askTrials(search.id(), 1, "c").get(0).architecture();
      Trial failed = client.tellFailure(search.id(), other, "out of memory");
      assertEquals(Trial.State.FAILED, failed.state());
      assertEquals("out of memory", failed.failureReason());
      assertEquals(2, client.getSearch(search.id()).progress().trials().told());
      // A result for an architecture never asked for is AddTrial's, not a tell.
      String unasked =
          java.util.stream.LongStream.range(0, 10)
              .mapToObj(i -> SPACE.format(SPACE.fromOrdinal(i)))
              .filter(a -> !a.equals(arch) && !a.equals(other))
              .findFirst()
              .orElseThrow();
      NasClientException notAsked =
          assertThrows(NasClientException.class, () -> client.tellTrial(search.id(), unasked, 70));
      assertEquals(Status.Code.FAILED_PRECONDITION, notAsked.code());
      assertTrue(notAsked.getMessage().contains("AddTrial"), notAsked.getMessage());
      Trial added = client.addTrial(search.id(), unasked, 70, "baseline");
      assertTrue(added.added() && added.askTime().isPresent() && added.tellTime().isPresent());
      String third = client.askTrials(search.id(), 1, "c").get(0).architecture();
      assertEquals(
          Trial.State.INFEASIBLE, client.tellInfeasible(search.id(), third, "too big").state());
      assertEquals(4, client.getSearch(search.id()).progress().trials().told());

      Search surrogateOnly =
          client.createSearch(
              SearchRequest.builder().trainingBudget(20).candidateBudget(50).build());
      assertEquals(
          Status.Code.FAILED_PRECONDITION,
          assertThrows(NasClientException.class, () -> client.askTrials(surrogateOnly.id(), 1, "c"))
              .code());
      client.cancelSearch(search.id());
      assertEquals(
          Status.Code.FAILED_PRECONDITION,
          assertThrows(
                  NasClientException.class,
                  () -> client.tellTrial(search.id(), SPACE.exampleArchitecture(), 50))
              .code());
      assertEquals(4, client.listTrials(search.id()).size(), "told trials survive the cancel");

      Search stopping =
          client.createSearch(
              SearchRequest.builder()
                  .algorithm("random")
                  .evaluator(SearchRequest.Evaluator.CLIENT)
                  .queryBudget(4)
                  .earlyStopping(EarlyStopping.successiveHalving(1, 2))
                  .build());
      List<Trial> two = client.askTrials(stopping.id(), 2, "c");
      assertFalse(
          client.reportIntermediate(stopping.id(), two.get(0).architecture(), 1, 50).shouldStop());
      StopAdvice advice =
          client.reportIntermediate(stopping.id(), two.get(1).architecture(), 1, 40);
      assertTrue(advice.shouldStop(), advice.toString());
      assertEquals(Trial.State.STOPPED, advice.trial().state());
      assertEquals(List.of(new Trial.Measurement(1, 40)), advice.trial().measurements());
      assertEquals(1, client.getSearch(stopping.id()).progress().trials().stopped());
    }
  }
}
