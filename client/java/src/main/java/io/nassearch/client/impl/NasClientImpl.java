package io.nassearch.client.impl;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.nassearch.api.v1.AddTrialRequest;
import io.nassearch.api.v1.AskTrialsRequest;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListSearchesResponse;
import io.nassearch.api.v1.ListSpacesRequest;
import io.nassearch.api.v1.ListTrialsRequest;
import io.nassearch.api.v1.ReportMeasurementRequest;
import io.nassearch.api.v1.ReportMeasurementResponse;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.TellTrialRequest;
import io.nassearch.api.v1.WatchSearchRequest;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Results;
import io.nassearch.client.Search;
import io.nassearch.client.SearchEvent;
import io.nassearch.client.SearchPage;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchWatch;
import io.nassearch.client.SpaceInfo;
import io.nassearch.client.StopAdvice;
import io.nassearch.client.Trial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NasClient} over one channel. Stubs are immutable; each unary call takes a fresh deadline
 * from {@code defaultDeadline}, so the client is thread-safe.
 */
final class NasClientImpl implements NasClient {
  private static final Logger LOG = LoggerFactory.getLogger(NasClientImpl.class);

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final Duration defaultDeadline;
  private final SearchServiceGrpc.SearchServiceBlockingStub blockingStub;
  private final SearchServiceGrpc.SearchServiceStub asyncStub;

  NasClientImpl(
      ManagedChannel channel,
      boolean ownsChannel,
      Duration defaultDeadline,
      CallCredentials credentials) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.defaultDeadline = defaultDeadline;
    SearchServiceGrpc.SearchServiceBlockingStub blocking =
        SearchServiceGrpc.newBlockingStub(channel);
    SearchServiceGrpc.SearchServiceStub async = SearchServiceGrpc.newStub(channel);
    this.blockingStub = credentials == null ? blocking : blocking.withCallCredentials(credentials);
    this.asyncStub = credentials == null ? async : async.withCallCredentials(credentials);
  }

  @Override
  public Search createSearch(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    return unary(
        "create search", () -> Search.fromProto(blocking().createSearch(request.toProto())));
  }

  @Override
  public CompletableFuture<Search> createSearchAsync(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    CompletableFuture<io.nassearch.api.v1.Search> future = new CompletableFuture<>();
    async().createSearch(request.toProto(), completing(future));
    return future.thenApply(Search::fromProto);
  }

  @Override
  public Search getSearch(String searchId) {
    GetSearchRequest request =
        GetSearchRequest.newBuilder().setName(SearchNames.name(searchId)).build();
    return unary("get " + request.getName(), () -> Search.fromProto(blocking().getSearch(request)));
  }

  @Override
  public CompletableFuture<Search> getSearchAsync(String searchId) {
    GetSearchRequest request =
        GetSearchRequest.newBuilder().setName(SearchNames.name(searchId)).build();
    CompletableFuture<io.nassearch.api.v1.Search> future = new CompletableFuture<>();
    async().getSearch(request, completing(future));
    return future.thenApply(Search::fromProto);
  }

  @Override
  public SearchPage listSearches(int pageSize, String pageToken) {
    ListSearchesRequest request =
        ListSearchesRequest.newBuilder()
            .setPageSize(pageSize)
            .setPageToken(Objects.requireNonNullElse(pageToken, ""))
            .build();
    ListSearchesResponse response = unary("list searches", () -> blocking().listSearches(request));
    return new SearchPage(
        response.getSearchesList().stream().map(Search::fromProto).toList(),
        response.getNextPageToken());
  }

  @Override
  public List<Search> listSearches() {
    List<Search> all = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    String token = "";
    do {
      SearchPage page = listSearches(0, token);
      all.addAll(page.searches());
      token = page.nextPageToken();
      if (!token.isEmpty() && !seenTokens.add(token)) {
        throw new NasClientException(
            io.grpc.Status.Code.INTERNAL,
            "Expected a new page token from ListSearches, but got '" + token + "' twice");
      }
    } while (!token.isEmpty());
    return all;
  }

  @Override
  public Search cancelSearch(String searchId) {
    CancelSearchRequest request =
        CancelSearchRequest.newBuilder().setName(SearchNames.name(searchId)).build();
    return unary(
        "cancel " + request.getName(), () -> Search.fromProto(blocking().cancelSearch(request)));
  }

  @Override
  public Results results(String searchId, int topK) {
    GetResultsRequest request =
        GetResultsRequest.newBuilder()
            .setName(SearchNames.name(searchId))
            .setTopK(Math.max(0, topK))
            .build();
    return unary(
        "get results of " + request.getName(),
        () -> Results.fromProto(blocking().getResults(request)));
  }

  @Override
  public List<Trial> askTrials(String searchId, int count, String clientId) {
    AskTrialsRequest request =
        AskTrialsRequest.newBuilder()
            .setName(SearchNames.name(searchId))
            .setCount(count)
            .setClientId(clientId == null ? "" : clientId)
            .build();
    return unary(
        "ask trials of " + request.getName(),
        () ->
            blocking().askTrials(request).getTrialsList().stream().map(Trial::fromProto).toList());
  }

  @Override
  public Trial tellTrial(String searchId, String architecture, double objective) {
    return tell(searchId, architecture, r -> r.setObjective(objective));
  }

  @Override
  public Trial tellFailure(String searchId, String architecture, String reason) {
    return tell(searchId, architecture, r -> r.setFailureReason(reason == null ? "" : reason));
  }

  @Override
  public Trial tellInfeasible(String searchId, String architecture, String reason) {
    return tell(searchId, architecture, r -> r.setInfeasibleReason(reason == null ? "" : reason));
  }

  @Override
  public Trial addTrial(String searchId, String architecture, double objective, String clientId) {
    AddTrialRequest request =
        AddTrialRequest.newBuilder()
            .setName(SearchNames.name(searchId))
            .setArchitecture(architecture)
            .setObjective(objective)
            .setClientId(clientId == null ? "" : clientId)
            .build();
    return unary(
        "add a trial to " + request.getName(),
        () -> Trial.fromProto(blocking().addTrial(request).getTrial()));
  }

  @Override
  public StopAdvice reportIntermediate(
      String searchId, String architecture, long step, double value) {
    ReportMeasurementRequest request =
        ReportMeasurementRequest.newBuilder()
            .setName(SearchNames.name(searchId))
            .setArchitecture(architecture)
            .setStep(step)
            .setValue(value)
            .build();
    return unary(
        "report a measurement to " + request.getName(),
        () -> {
          ReportMeasurementResponse r = blocking().reportMeasurement(request);
          return new StopAdvice(r.getShouldStop(), r.getReason(), Trial.fromProto(r.getTrial()));
        });
  }

  /** Tells one trial's outcome, which {@code outcome} sets on the request. */
  private Trial tell(
      String searchId, String architecture, Consumer<TellTrialRequest.Builder> outcome) {
    TellTrialRequest.Builder request =
        TellTrialRequest.newBuilder()
            .setName(SearchNames.name(searchId))
            .setArchitecture(architecture);
    outcome.accept(request);
    return unary(
        "tell a trial of " + request.getName(),
        () -> Trial.fromProto(blocking().tellTrial(request.build()).getTrial()));
  }

  @Override
  public List<Trial> listTrials(String searchId) {
    ListTrialsRequest request =
        ListTrialsRequest.newBuilder().setName(SearchNames.name(searchId)).build();
    return unary(
        "list trials of " + request.getName(),
        () ->
            blocking().listTrials(request).getTrialsList().stream().map(Trial::fromProto).toList());
  }

  @Override
  public List<SpaceInfo> spaces() {
    return unary(
        "list spaces",
        () ->
            blocking().listSpaces(ListSpacesRequest.getDefaultInstance()).getSpacesList().stream()
                .map(SpaceInfo::fromProto)
                .toList());
  }

  @Override
  public SearchWatch watch(String searchId, Consumer<SearchEvent> onEvent) {
    Objects.requireNonNull(onEvent, "onEvent");
    String name = SearchNames.name(searchId);
    SearchWatchImpl watch = new SearchWatchImpl(name, onEvent);
    asyncStub.watchSearch(WatchSearchRequest.newBuilder().setName(name).build(), watch);
    return watch;
  }

  @Override
  public Search awaitCompletion(String searchId, Duration timeout, Consumer<SearchEvent> onEvent) {
    try (SearchWatch watch = watch(searchId, onEvent)) {
      return watch.awaitCompletion(timeout);
    }
  }

  @Override
  public void close() {
    if (!ownsChannel) {
      return;
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private SearchServiceGrpc.SearchServiceBlockingStub blocking() {
    return blockingStub.withDeadlineAfter(defaultDeadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private SearchServiceGrpc.SearchServiceStub async() {
    return asyncStub.withDeadlineAfter(defaultDeadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> T unary(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      NasClientException mapped = GrpcErrors.toClientException(e);
      LOG.debug("Expected to {}, but got {}", what, mapped.getMessage());
      throw mapped;
    }
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(GrpcErrors.toClientException(t));
      }

      @Override
      public void onCompleted() {
        future.complete(null);
      }
    };
  }
}
