package io.nassearch.client.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.client.Candidate;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchEvent;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End-to-end behaviour of a search: real coordinator, real TensorFlow workers, real client. Runs
 * once per transport (in-process, Netty loopback) through the subclasses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class AbstractSearchEndToEndIT {
  abstract LocalCluster.Transport transport();

  LocalCluster cluster(int workers) throws Exception {
    return new LocalCluster(transport(), workers, LocalCluster.testConfig());
  }

  /** Small and quick: 100 labelled architectures, a short training, 600 candidates. */
  static SearchRequest.Builder smallSearch(long seed) {
    return SearchRequest.builder()
        .space("nb201")
        .algorithm("regularized_evolution")
        .trainingBudget(100)
        .candidateBudget(600)
        .batchSize(50)
        .seed(seed)
        .topK(10);
  }

  static Search run(NasClient client, SearchRequest request, Consumer<SearchEvent> events) {
    Search created = client.createSearch(request);
    return client.awaitCompletion(created.id(), Duration.ofMinutes(3), events);
  }

  @Test
  void searchCompletesAndScoresEveryCandidateExactlyOnce() throws Exception {
    try (LocalCluster cluster = cluster(2)) {
      List<SearchEvent> events = new CopyOnWriteArrayList<>();
      Search done = run(cluster.client(), smallSearch(11).build(), events::add);

      assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
      assertEquals(600, done.progress().candidatesScored());
      // Workers also score the trained model's 16-row probe, and may score a batch twice when one
      // was backed up.
      var dispatch = cluster.coordinator().dispatcher().snapshot();
      long rows = cluster.rowsScoredByWorkers();
      assertTrue(
          rows >= 616 && rows <= 616 + 50 * dispatch.backupCopies(), rows + " rows, " + dispatch);
      assertTrue(
          dispatch.duplicatesDropped() <= dispatch.backupCopies(),
          "a duplicate only from a backup copy: " + dispatch);
      assertEquals(110, done.progress().groundTruthQueries(), "training set + verified top 10");
      assertTrue(events.stream().anyMatch(e -> e.search().state() == SearchState.TRAINING));
      assertTrue(events.stream().anyMatch(e -> e.search().state() == SearchState.RUNNING));
      assertTrue(events.get(events.size() - 1).search().state().isTerminal());

      Results results = cluster.client().results(done.id(), 0);
      assertEquals(10, results.candidates().size());
      double optimum = results.objectiveOptimum().orElseThrow();
      assertEquals(91.6067, optimum, 1e-3, "NB201 cifar10_valid optimum");
      for (int i = 0; i < 10; i++) {
        Candidate c = results.candidates().get(i);
        assertEquals(i + 1, c.predictedRank());
        if (i > 0) {
          assertTrue(c.predictedScore() <= results.candidates().get(i - 1).predictedScore());
        }
        double truth = c.trueObjective().orElseThrow();
        assertEquals(optimum - truth, c.objectiveRegret().orElseThrow(), 1e-9);
        assertTrue(c.trueTestAccuracy().isPresent() && c.benchmarkIndex().isPresent());
      }
      // A surrogate that ranks at all puts far better than average (83.7%) architectures on top.
      double meanTop =
          results.candidates().stream()
              .mapToDouble(c -> c.trueObjective().orElseThrow())
              .average()
              .orElseThrow();
      assertTrue(meanTop > 86.0, "mean validation accuracy of the top 10 was " + meanTop);
    }
  }

  @Test
  void sameSeedGivesSameTopTenWithOneOrThreeWorkers() throws Exception {
    List<String> withOne;
    try (LocalCluster cluster = cluster(1)) {
      Search done = run(cluster.client(), smallSearch(5).build(), e -> {});
      withOne = describe(cluster.client().results(done.id(), 10));
    }
    List<String> withThree;
    try (LocalCluster cluster = cluster(3)) {
      Search done = run(cluster.client(), smallSearch(5).build(), e -> {});
      withThree = describe(cluster.client().results(done.id(), 10));
    }
    assertEquals(10, withOne.size());
    assertEquals(withOne, withThree);
  }

  @Test
  void killingAWorkerMidSearchLosesAndDoubleCountsNothing() throws Exception {
    SearchRequest request = smallSearch(3).candidateBudget(3000).batchSize(20).build();
    List<String> undisturbed;
    try (LocalCluster cluster = cluster(2)) {
      Search done = run(cluster.client(), request, e -> {});
      undisturbed = describe(cluster.client().results(done.id(), 10));
    }
    try (LocalCluster cluster = cluster(2)) {
      cluster.crashWorkerAfterBatches(0, 5);
      Search done = run(cluster.client(), request, e -> {});
      assertFalse(cluster.workers().get(0).isConnected(), "worker 0 crashed mid-search");
      assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
      assertEquals(3000, done.progress().candidatesScored());
      assertTrue(
          cluster.coordinator().dispatcher().snapshot().redeliveries() >= 1,
          "the crashed worker's batch was sent again");
      assertEquals(undisturbed, describe(cluster.client().results(done.id(), 10)));
    }
  }

  @Test
  void cancelStopsARunningSearch() throws Exception {
    try (LocalCluster cluster = cluster(1)) {
      Search created =
          cluster
              .client()
              .createSearch(smallSearch(9).candidateBudget(15_000).batchSize(10).build());
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> cluster.client().getSearch(created.id()).state() == SearchState.RUNNING);
      Search cancelled = cluster.client().cancelSearch(created.id());
      assertEquals(SearchState.CANCELLED, cancelled.state());
      assertTrue(cancelled.progress().candidatesScored() < 15_000);
      NasClientException again =
          assertThrows(NasClientException.class, () -> cluster.client().cancelSearch(created.id()));
      assertEquals(Status.Code.FAILED_PRECONDITION, again.code());
    }
  }

  @Test
  void repeatedCreateWithTheSameRequestIdReturnsTheFirstSearch() throws Exception {
    try (LocalCluster cluster = cluster(1)) {
      SearchRequest request = smallSearch(1).requestId("retry-me").build();
      Search first = cluster.client().createSearch(request);
      Search second = cluster.client().createSearch(request);
      assertEquals(first.id(), second.id());
      assertEquals(1, cluster.client().listSearches().size());
      cluster.client().awaitCompletion(first.id(), Duration.ofMinutes(3), e -> {});
    }
  }

  @Test
  void invalidRequestsGetTheDocumentedStatus() throws Exception {
    try (LocalCluster cluster = cluster(0)) {
      NasClient client = cluster.client();
      record Case(String what, Status.Code code, SearchSpec spec) {}
      SearchSpec valid = smallSearch(1).build().toSpec();
      List<Case> cases = new ArrayList<>();
      cases.add(
          new Case(
              "unknown space", Status.Code.NOT_FOUND, valid.toBuilder().setSpace("nb999").build()));
      cases.add(
          new Case(
              "no space", Status.Code.INVALID_ARGUMENT, valid.toBuilder().setSpace("").build()));
      cases.add(
          new Case(
              "unknown objective",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setObjective("loss").build()));
      cases.add(
          new Case(
              "unknown algorithm",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setAlgorithm("magic").build()));
      cases.add(
          new Case(
              "unknown setting",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().putAlgorithmConfig("nope", 1).build()));
      cases.add(
          new Case(
              "negative budget",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setCandidateBudget(-5).build()));
      cases.add(
          new Case(
              "huge budget",
              Status.Code.RESOURCE_EXHAUSTED,
              valid.toBuilder().setCandidateBudget(5_000_000_000L).build()));
      cases.add(
          new Case(
              "budget over space",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setCandidateBudget(20_000).build()));
      cases.add(
          new Case(
              "tiny training set",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setTrainingBudget(3).build()));
      cases.add(
          new Case(
              "huge training set",
              Status.Code.RESOURCE_EXHAUSTED,
              valid.toBuilder().setTrainingBudget(1_000_000).build()));
      cases.add(
          new Case("top_k", Status.Code.INVALID_ARGUMENT, valid.toBuilder().setTopK(5000).build()));
      cases.add(
          new Case(
              "huge batch",
              Status.Code.RESOURCE_EXHAUSTED,
              valid.toBuilder().setBatchSize(1_000_000).build()));
      cases.add(
          new Case(
              "dropout",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder().setSurrogate(SurrogateSpec.newBuilder().setDropout(2f)).build()));
      cases.add(
          new Case(
              "learning rate NaN",
              Status.Code.INVALID_ARGUMENT,
              valid.toBuilder()
                  .setSurrogate(SurrogateSpec.newBuilder().setLearningRate(Float.NaN))
                  .build()));
      for (Case c : cases) {
        SearchRequest request = SearchRequest.fromSpec(c.spec, "");
        NasClientException e =
            assertThrows(NasClientException.class, () -> client.createSearch(request), c.what);
        assertEquals(c.code, e.code(), c.what + ": " + e.getMessage());
        assertFalse(e.getMessage().isBlank());
      }
      assertEquals(
          Status.Code.NOT_FOUND,
          assertThrows(NasClientException.class, () -> client.getSearch("abc123")).code());
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          assertThrows(NasClientException.class, () -> client.getSearch("searches/BAD ID")).code());
      assertEquals(
          Status.Code.NOT_FOUND,
          assertThrows(NasClientException.class, () -> client.results("nope", 3)).code());
      assertTrue(client.listSearches().isEmpty(), "nothing stored by rejected requests");
    }
  }

  static List<String> describe(Results results) {
    List<String> out = new ArrayList<>();
    for (Candidate c : results.candidates()) {
      out.add(c.predictedRank() + " " + c.architecture() + " " + c.predictedScore());
    }
    return out;
  }
}
