package io.nassearch.client;

import static io.nassearch.api.v1.SearchState.SEARCH_STATE_RUNNING;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_SUCCEEDED;
import static io.nassearch.api.v1.SearchState.SEARCH_STATE_TRAINING;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListSearchesResponse;
import io.nassearch.api.v1.Loss;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.WatchSearchRequest;
import io.nassearch.client.testing.InProcessGrpc;
import io.nassearch.client.testing.RecordingSearchService;
import io.nassearch.client.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NasClientTest {
  @RegisterExtension final InProcessGrpc grpc = new InProcessGrpc();

  private final RecordingSearchService service = new RecordingSearchService();
  private ManagedChannel channel;
  private NasClient client;

  @BeforeEach
  void startClient() {
    channel = grpc.serve(service);
    client = NasClient.newBuilder().channel(channel).defaultDeadline(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void createSearchSendsEveryField() {
    service.onCreate =
        r -> TestData.search("s1", io.nassearch.api.v1.SearchState.SEARCH_STATE_PENDING);

    client.createSearch(
        SearchRequest.builder()
            .space("nb201")
            .objective("cifar100_valid")
            .algorithm("local_search")
            .algorithmSetting("restarts", 3)
            .trainingBudget(150)
            .candidateBudget(5000)
            .seed(-1L)
            .topK(20)
            .batchSize(128)
            .loss("listmle")
            .displayName("my run")
            .requestId("req-1")
            .build());

    CreateSearchRequest expected =
        CreateSearchRequest.newBuilder()
            .setSpec(
                SearchSpec.newBuilder()
                    .setSpace("nb201")
                    .setObjective("cifar100_valid")
                    .setAlgorithm("local_search")
                    .putAlgorithmConfig("restarts", 3.0)
                    .setTrainingBudget(150)
                    .setCandidateBudget(5000)
                    .setSeed(-1L)
                    .setTopK(20)
                    .setBatchSize(128)
                    .setSurrogate(SurrogateSpec.newBuilder().setLoss(Loss.LOSS_LISTMLE)))
            .setDisplayName("my run")
            .setRequestId("req-1")
            .build();
    assertEquals(List.of(expected), service.requests(CreateSearchRequest.class));
  }

  @Test
  void defaultRequestSendsDefaultSpaceAndAlgorithmAndLeavesTheRestToTheServer() {
    service.onCreate =
        r -> TestData.search("s1", io.nassearch.api.v1.SearchState.SEARCH_STATE_PENDING);

    client.createSearch(SearchRequest.builder().build());

    CreateSearchRequest sent = service.requests(CreateSearchRequest.class).get(0);
    assertEquals(
        SearchSpec.newBuilder().setSpace("nb201").setAlgorithm("regularized_evolution").build(),
        sent.getSpec());
    assertFalse(sent.getSpec().hasSurrogate());
  }

  @Test
  void searchResponseIsMapped() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING, 600);

    Search search = client.getSearch("s1");

    assertEquals("s1", search.id());
    assertEquals("searches/s1", search.name());
    assertEquals("run s1", search.displayName());
    assertEquals(SearchState.RUNNING, search.state());
    assertEquals("cifar10_valid", search.spec().objective());
    assertEquals(Map.of("population_size", 50.0), search.spec().algorithmSettings());
    assertEquals(
        new Progress(
            600,
            2000,
            200,
            1.25,
            TestData.ARCH,
            java.util.OptionalDouble.of(0.81),
            812.5,
            Progress.TrialProgress.NONE),
        search.progress());
    assertEquals("m-s1", search.modelId());
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), search.createTime().orElseThrow());
    assertEquals(
        Instant.ofEpochSecond(1_700_000_060L, 500_000_000), search.updateTime().orElseThrow());
  }

  @Test
  void searchIdAndSearchNameAddressTheSameSearch() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING);
    service.onCancel =
        r -> TestData.search("s1", io.nassearch.api.v1.SearchState.SEARCH_STATE_CANCELLED);

    client.getSearch("s1");
    client.getSearch("searches/s1");
    Search cancelled = client.cancelSearch("searches/s1");

    assertEquals(
        List.of("searches/s1", "searches/s1"),
        service.requests(GetSearchRequest.class).stream().map(GetSearchRequest::getName).toList());
    assertEquals("searches/s1", service.requests(CancelSearchRequest.class).get(0).getName());
    assertEquals(SearchState.CANCELLED, cancelled.state());
  }

  @Test
  void malformedSearchIdIsRejectedBeforeAnyCall() {
    assertThrows(IllegalArgumentException.class, () -> client.getSearch("models/m1"));
    assertThrows(IllegalArgumentException.class, () -> client.getSearch(""));
    assertTrue(service.requests.isEmpty());
  }

  @Test
  void listSearchesFollowsPageTokens() {
    service.onList =
        r ->
            switch (r.getPageToken()) {
              case "" -> page("p2", "a", "b");
              case "p2" -> page("p3", "c");
              case "p3" -> page("", "d");
              default -> throw Status.INVALID_ARGUMENT.asRuntimeException();
            };

    List<Search> all = client.listSearches();

    assertEquals(List.of("a", "b", "c", "d"), all.stream().map(Search::id).toList());
    assertEquals(
        List.of("", "p2", "p3"),
        service.requests(ListSearchesRequest.class).stream()
            .map(ListSearchesRequest::getPageToken)
            .toList());
  }

  @Test
  void oneListPageCarriesSizeAndToken() {
    service.onList = r -> page("next", "a");

    SearchPage page = client.listSearches(25, "t0");

    assertEquals(
        ListSearchesRequest.newBuilder().setPageSize(25).setPageToken("t0").build(),
        service.requests(ListSearchesRequest.class).get(0));
    assertTrue(page.hasNextPage());
    assertEquals("next", page.nextPageToken());
  }

  @Test
  void listSearchesStopsWhenTheServerRepeatsAToken() {
    service.onList = r -> page("same", "a");

    NasClientException e = assertThrows(NasClientException.class, () -> client.listSearches());

    assertEquals(Status.Code.INTERNAL, e.code());
  }

  @Test
  void resultsAreMappedWithOptionalFactsPresentOrAbsent() {
    service.onResults = r -> TestData.results("s1");

    Results results = client.results("s1", 2);

    assertEquals(
        GetResultsRequest.newBuilder().setName("searches/s1").setTopK(2).build(),
        service.requests(GetResultsRequest.class).get(0));
    assertEquals(OptionalDouble.of(91.61), results.objectiveOptimum());
    assertEquals(OptionalDouble.of(94.37), results.testAccuracyOptimum());
    assertEquals(
        new Candidate(
            TestData.ARCH,
            1,
            1.25,
            OptionalDouble.of(91.12),
            OptionalDouble.of(93.76),
            OptionalDouble.of(0.49),
            OptionalDouble.of(0.61),
            OptionalLong.of(1462),
            OptionalDouble.empty()),
        results.candidates().get(0));
    Candidate bare = results.candidates().get(1);
    assertEquals(OptionalDouble.empty(), bare.trueObjective());
    assertEquals(OptionalLong.empty(), bare.benchmarkIndex());
  }

  @Test
  void nonPositiveTopKAsksForTheServerDefault() {
    service.onResults = r -> TestData.results("s1");

    client.results("s1", -5);

    assertEquals(0, service.requests(GetResultsRequest.class).get(0).getTopK());
  }

  @Test
  void spacesAreMapped() {
    service.onSpaces = r -> TestData.spaces();

    List<SpaceInfo> spaces = client.spaces();

    assertEquals(
        new SpaceInfo(
            "nb201",
            "NAS-Bench-201 cell space",
            15625,
            30,
            List.of("cifar10_valid", "cifar100_valid"),
            TestData.ARCH,
            true,
            List.of("lat_ms_pixel3", "params_cifar10")),
        spaces.get(0));
    assertEquals("toy", spaces.get(1).id());
  }

  @Test
  void invalidArgumentCarriesCodeMessageAndFieldViolations() {
    service.onCreate =
        r -> {
          throw TestData.badRequest("top_k out of range", "spec.top_k", "must be 1..1000");
        };

    NasClientException e =
        assertThrows(
            NasClientException.class,
            () -> client.createSearch(SearchRequest.builder().topK(5000).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertEquals("top_k out of range", e.description());
    assertEquals(
        List.of(new NasClientException.FieldViolation("spec.top_k", "must be 1..1000")),
        e.fieldViolations());
  }

  @Test
  void notFoundIsMapped() {
    service.onGet =
        r -> {
          throw Status.NOT_FOUND.withDescription("no search searches/zz").asRuntimeException();
        };

    NasClientException e = assertThrows(NasClientException.class, () -> client.getSearch("zz"));

    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertEquals("no search searches/zz", e.description());
    assertTrue(e.fieldViolations().isEmpty());
  }

  @Test
  void unreachableCoordinatorIsUnavailable() {
    try (NasClient offline = NasClient.newBuilder().channel(grpc.channelToNowhere()).build()) {
      NasClientException e = assertThrows(NasClientException.class, offline::spaces);
      assertEquals(Status.Code.UNAVAILABLE, e.code());
    }
  }

  @Test
  void everyUnaryCallCarriesTheDefaultDeadline() {
    service.onGet = r -> TestData.search("s1", SEARCH_STATE_RUNNING);
    service.onSpaces = r -> TestData.spaces();

    client.getSearch("s1");
    client.spaces();

    assertEquals(2, service.deadlines.size());
    for (var deadline : service.deadlines) {
      long remainingMs = deadline.orElseThrow().timeRemaining(TimeUnit.MILLISECONDS);
      assertTrue(remainingMs > 0 && remainingMs <= 5_000, "remaining " + remainingMs + " ms");
    }
  }

  @Test
  void aCallPastItsDeadlineFailsDeadlineExceeded() {
    service.onGet = r -> null; // never answers
    try (NasClient impatient =
        NasClient.newBuilder().channel(channel).defaultDeadline(Duration.ofMillis(200)).build()) {
      NasClientException e =
          assertThrows(NasClientException.class, () -> impatient.getSearch("s1"));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    }
  }

  @Test
  void asyncCallsCompleteWithMappedValuesAndErrors() throws Exception {
    service.onCreate =
        r -> TestData.search("s1", io.nassearch.api.v1.SearchState.SEARCH_STATE_PENDING);
    service.onGet =
        r -> {
          throw Status.NOT_FOUND.withDescription("gone").asRuntimeException();
        };

    assertEquals("s1", client.createSearchAsync(SearchRequest.builder().build()).get().id());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> client.getSearchAsync("s1").get());
    assertEquals(Status.Code.NOT_FOUND, ((NasClientException) e.getCause()).code());
    assertTrue(service.deadlines.stream().allMatch(d -> d.isPresent()));
  }

  @Test
  void watchStreamsEveryEventInOrderToCompletion() {
    service.onWatch =
        r ->
            List.of(
                TestData.event("s1", SEARCH_STATE_TRAINING, 0, "training surrogate"),
                TestData.event("s1", SEARCH_STATE_RUNNING, 1000, "surrogate trained (tau 0.81)"),
                TestData.event("s1", SEARCH_STATE_SUCCEEDED, 2000, "done"));
    List<SearchEvent> seen = new CopyOnWriteArrayList<>();

    Search last = client.awaitCompletion("searches/s1", Duration.ofSeconds(5), seen::add);

    assertEquals(SearchState.SUCCEEDED, last.state());
    assertEquals(
        List.of("training surrogate", "surrogate trained (tau 0.81)", "done"),
        seen.stream().map(SearchEvent::message).toList());
    assertEquals(1000, seen.get(1).search().progress().candidatesScored());
    assertEquals("searches/s1", service.requests(WatchSearchRequest.class).get(0).getName());
    assertEquals(Optional.empty(), service.deadlines.get(0));
  }

  @Test
  void watchThatEndsWithoutATerminalStateFails() {
    service.onWatch = r -> List.of(TestData.event("s1", SEARCH_STATE_RUNNING, 10, ""));

    assertAwaitFails(Status.Code.UNKNOWN);
  }

  @Test
  void watchErrorsAreMapped() {
    service.onWatch =
        r -> {
          throw Status.NOT_FOUND.withDescription("no search").asRuntimeException();
        };

    assertAwaitFails(Status.Code.NOT_FOUND);
  }

  @Test
  void awaitTimesOutWhileTheSearchRunsAndCloseCancelsTheStream() throws Exception {
    service.onWatch = r -> List.of(TestData.event("s1", SEARCH_STATE_RUNNING, 10, ""));
    service.keepWatchOpen = true;
    List<SearchEvent> seen = new CopyOnWriteArrayList<>();

    SearchWatch watch = client.watch("s1", seen::add);
    await().until(() -> watch.latest().isPresent());
    NasClientException e =
        assertThrows(NasClientException.class, () -> watch.awaitCompletion(Duration.ofMillis(100)));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertFalse(watch.isDone());

    watch.close();

    assertTrue(service.watchCancelled.await(5, TimeUnit.SECONDS));
    await().until(watch::isDone);
    NasClientException closed =
        assertThrows(NasClientException.class, () -> watch.awaitCompletion(Duration.ofSeconds(1)));
    assertEquals(Status.Code.CANCELLED, closed.code());
    assertEquals(1, seen.size());
  }

  @Test
  void aThrowingCallbackEndsTheWatchWithItsException() throws Exception {
    service.onWatch = r -> List.of(TestData.event("s1", SEARCH_STATE_RUNNING, 10, ""));
    service.keepWatchOpen = true;
    IllegalStateException boom = new IllegalStateException("boom");

    SearchWatch watch =
        client.watch(
            "s1",
            ev -> {
              throw boom;
            });

    assertEquals(
        boom,
        assertThrows(
            IllegalStateException.class, () -> watch.awaitCompletion(Duration.ofSeconds(5))));
    assertTrue(service.watchCancelled.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aClientGivenAChannelLeavesItOpen() {
    client.close();

    assertFalse(channel.isShutdown());
  }

  @Test
  void builderRejectsANonPositiveDeadline() {
    assertThrows(
        IllegalArgumentException.class,
        () -> NasClient.newBuilder().defaultDeadline(Duration.ZERO));
  }

  private static ListSearchesResponse page(String next, String... ids) {
    ListSearchesResponse.Builder b = ListSearchesResponse.newBuilder().setNextPageToken(next);
    for (String id : ids) {
      b.addSearches(TestData.search(id, SEARCH_STATE_RUNNING));
    }
    return b.build();
  }

  private void assertAwaitFails(Status.Code code) {
    NasClientException e =
        assertThrows(
            NasClientException.class,
            () -> client.awaitCompletion("s1", Duration.ofSeconds(5), ev -> {}));
    assertEquals(code, e.code());
  }
}
