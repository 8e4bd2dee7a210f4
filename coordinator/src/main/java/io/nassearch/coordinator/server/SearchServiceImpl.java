package io.nassearch.coordinator.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nassearch.api.v1.AddTrialRequest;
import io.nassearch.api.v1.AddTrialResponse;
import io.nassearch.api.v1.AskTrialsRequest;
import io.nassearch.api.v1.AskTrialsResponse;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListSearchesResponse;
import io.nassearch.api.v1.ListSpacesRequest;
import io.nassearch.api.v1.ListSpacesResponse;
import io.nassearch.api.v1.ListTrialsRequest;
import io.nassearch.api.v1.ListTrialsResponse;
import io.nassearch.api.v1.ReportMeasurementRequest;
import io.nassearch.api.v1.ReportMeasurementResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.TellTrialRequest;
import io.nassearch.api.v1.TellTrialResponse;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.WatchSearchRequest;
import io.nassearch.coordinator.search.InvalidRequestException;
import io.nassearch.coordinator.search.SearchManager;
import io.nassearch.coordinator.search.SearchNames;
import io.nassearch.coordinator.search.SearchStates;
import io.nassearch.coordinator.search.StopDecision;
import io.nassearch.coordinator.search.TrialResult;
import io.nassearch.coordinator.server.security.Caller;
import java.util.List;
import java.util.Optional;

/**
 * The client-facing API over {@link SearchManager}; every error goes through {@link GrpcErrors}.
 *
 * <p>Every search belongs to the {@link Caller} that created it. Each call on a search first checks
 * that the caller may see it (its owner, or admin); anyone else gets NOT_FOUND, as for a search
 * that does not exist. Without auth there is no caller and every search is visible.
 */
public final class SearchServiceImpl extends SearchServiceGrpc.SearchServiceImplBase {
  private static final int DEFAULT_PAGE_SIZE = 50;

  private final SearchManager manager;

  public SearchServiceImpl(SearchManager manager) {
    this.manager = manager;
  }

  @Override
  public void createSearch(CreateSearchRequest request, StreamObserver<Search> out) {
    Caller caller = Caller.current();
    unary(out, () -> manager.create(request, caller == null ? "" : caller.name()));
  }

  @Override
  public void getSearch(GetSearchRequest request, StreamObserver<Search> out) {
    unary(out, () -> manager.get(visible(request.getName())));
  }

  @Override
  public void listSearches(ListSearchesRequest request, StreamObserver<ListSearchesResponse> out) {
    unary(
        out,
        () -> {
          int size = request.getPageSize();
          if (size < 0 || size > 1000) {
            throw new InvalidRequestException("page_size", "must be in 0..1000, got " + size);
          }
          if (size == 0) {
            size = DEFAULT_PAGE_SIZE;
          }
          int offset = 0;
          if (!request.getPageToken().isEmpty()) {
            try {
              offset = Integer.parseInt(request.getPageToken());
            } catch (NumberFormatException e) {
              offset = -1;
            }
            if (offset < 0) {
              throw new InvalidRequestException("page_token", "is not a token this server issued");
            }
          }
          List<Search> all = manager.owners().list(viewer());
          int end = Math.min(all.size(), offset + size);
          ListSearchesResponse.Builder response = ListSearchesResponse.newBuilder();
          if (offset < all.size()) {
            response.addAllSearches(all.subList(offset, end));
          }
          if (end < all.size()) {
            response.setNextPageToken(Integer.toString(end));
          }
          return response.build();
        });
  }

  @Override
  public void cancelSearch(CancelSearchRequest request, StreamObserver<Search> out) {
    unary(out, () -> manager.cancel(visible(request.getName())));
  }

  @Override
  public void getResults(GetResultsRequest request, StreamObserver<GetResultsResponse> out) {
    unary(out, () -> manager.results(visible(request.getName()), request.getTopK()));
  }

  @Override
  public void askTrials(AskTrialsRequest request, StreamObserver<AskTrialsResponse> out) {
    unary(
        out,
        () -> {
          String id = visible(request.getName());
          int count = request.getCount() == 0 ? 1 : request.getCount();
          List<Trial> trials = manager.clientTrials().ask(id, count, request.getClientId());
          return AskTrialsResponse.newBuilder()
              .addAllTrials(trials)
              .setSearch(manager.get(id))
              .build();
        });
  }

  @Override
  public void tellTrial(TellTrialRequest request, StreamObserver<TellTrialResponse> out) {
    unary(
        out,
        () -> {
          String id = visible(request.getName());
          TrialResult result =
              result(
                  request.getResultCase().name(),
                  request.getObjective(),
                  request.getFailureReason(),
                  request.getInfeasibleReason());
          Trial trial = manager.clientTrials().tell(id, request.getArchitecture(), result);
          return TellTrialResponse.newBuilder().setTrial(trial).setSearch(manager.get(id)).build();
        });
  }

  @Override
  public void addTrial(AddTrialRequest request, StreamObserver<AddTrialResponse> out) {
    unary(
        out,
        () -> {
          String id = visible(request.getName());
          TrialResult result =
              result(
                  request.getResultCase().name(),
                  request.getObjective(),
                  request.getFailureReason(),
                  request.getInfeasibleReason());
          Trial trial =
              manager
                  .clientTrials()
                  .add(id, request.getArchitecture(), result, request.getClientId());
          return AddTrialResponse.newBuilder().setTrial(trial).setSearch(manager.get(id)).build();
        });
  }

  @Override
  public void reportMeasurement(
      ReportMeasurementRequest request, StreamObserver<ReportMeasurementResponse> out) {
    unary(
        out,
        () -> {
          StopDecision d =
              manager
                  .clientTrials()
                  .report(
                      visible(request.getName()),
                      request.getArchitecture(),
                      request.getStep(),
                      request.getValue());
          return ReportMeasurementResponse.newBuilder()
              .setShouldStop(d.shouldStop())
              .setReason(d.stopReason())
              .setTrial(d.trial())
              .build();
        });
  }

  /** The result a TellTrial or AddTrial request sets, by the name of its oneof case. */
  private static TrialResult result(
      String resultCase, double objective, String failureReason, String infeasibleReason) {
    return switch (resultCase) {
      case "OBJECTIVE" -> TrialResult.completed(objective);
      case "FAILURE_REASON" -> TrialResult.failed(failureReason);
      case "INFEASIBLE_REASON" -> TrialResult.infeasible(infeasibleReason);
      default ->
          throw new InvalidRequestException(
              "objective", "or failure_reason or infeasible_reason is required");
    };
  }

  @Override
  public void listTrials(ListTrialsRequest request, StreamObserver<ListTrialsResponse> out) {
    unary(
        out,
        () ->
            ListTrialsResponse.newBuilder()
                .addAllTrials(manager.clientTrials().list(visible(request.getName())))
                .build());
  }

  @Override
  public void listSpaces(ListSpacesRequest request, StreamObserver<ListSpacesResponse> out) {
    unary(out, () -> ListSpacesResponse.newBuilder().addAllSpaces(manager.spaces()).build());
  }

  @Override
  public void watchSearch(
      WatchSearchRequest request, StreamObserver<SearchEvent> responseObserver) {
    ServerCallStreamObserver<SearchEvent> out =
        (ServerCallStreamObserver<SearchEvent>) responseObserver;
    String id;
    try {
      id = visible(request.getName());
      manager.get(id);
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    Watcher watcher = new Watcher(out);
    out.setOnReadyHandler(watcher::drain);
    out.setOnCancelHandler(watcher::cancel);
    try {
      watcher.unsubscribe = manager.watch(id, watcher::offer);
      if (watcher.finished) {
        watcher.unsubscribe.run();
      }
    } catch (RuntimeException e) {
      watcher.fail(e);
    }
  }

  /**
   * Delivers events to one watcher. A slow watcher does not queue events without bound: while its
   * stream is not ready only the latest event is kept (progress events supersede each other).
   */
  private static final class Watcher {
    private final ServerCallStreamObserver<SearchEvent> out;
    private SearchEvent latest;
    volatile boolean finished;
    volatile Runnable unsubscribe = () -> {};

    Watcher(ServerCallStreamObserver<SearchEvent> out) {
      this.out = out;
    }

    synchronized void offer(SearchEvent event) {
      if (finished) {
        return;
      }
      latest = event;
      drain();
    }

    synchronized void drain() {
      if (finished || latest == null || !out.isReady()) {
        return;
      }
      SearchEvent event = latest;
      latest = null;
      out.onNext(event);
      if (SearchStates.isTerminal(event.getSearch().getState())) {
        finished = true;
        out.onCompleted();
        unsubscribe.run();
      }
    }

    synchronized void cancel() {
      finished = true;
      unsubscribe.run();
    }

    synchronized void fail(RuntimeException e) {
      if (!finished) {
        finished = true;
        out.onError(GrpcErrors.toStatus(e));
      }
    }
  }

  /** The caller whose searches alone are visible; empty for admin and without auth. */
  private static Optional<String> viewer() {
    Caller caller = Caller.current();
    return caller == null || caller.isAdmin() ? Optional.empty() : Optional.of(caller.name());
  }

  /** The id of the named search, when the caller may see it; else NOT_FOUND. */
  private String visible(String name) {
    String id = SearchNames.parseSearchId("name", name);
    manager.owners().check(id, viewer());
    return id;
  }

  private interface Call<T> {
    T get() throws Exception;
  }

  private static <T> void unary(StreamObserver<T> out, Call<T> call) {
    T result;
    try {
      result = call.get();
    } catch (Exception e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
