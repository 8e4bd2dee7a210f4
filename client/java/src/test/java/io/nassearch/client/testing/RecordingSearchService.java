package io.nassearch.client.testing;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nassearch.api.v1.CancelSearchRequest;
import io.nassearch.api.v1.CreateSearchRequest;
import io.nassearch.api.v1.GetResultsRequest;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.GetSearchRequest;
import io.nassearch.api.v1.ListSearchesRequest;
import io.nassearch.api.v1.ListSearchesResponse;
import io.nassearch.api.v1.ListSpacesRequest;
import io.nassearch.api.v1.ListSpacesResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.api.v1.SearchServiceGrpc;
import io.nassearch.api.v1.WatchSearchRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A scripted SearchService on the real wire protocol: each RPC records its request and deadline,
 * then answers with its script. A script may throw a StatusRuntimeException (sent as the error) or
 * return null (never answer). Unscripted RPCs fail UNIMPLEMENTED.
 */
public final class RecordingSearchService extends SearchServiceGrpc.SearchServiceImplBase {
  public final List<Message> requests = new CopyOnWriteArrayList<>();
  public final List<Optional<Deadline>> deadlines = new CopyOnWriteArrayList<>();
  public final CountDownLatch watchCancelled = new CountDownLatch(1);

  public volatile Function<CreateSearchRequest, Search> onCreate = unscripted();
  public volatile Function<GetSearchRequest, Search> onGet = unscripted();
  public volatile Function<ListSearchesRequest, ListSearchesResponse> onList = unscripted();
  public volatile Function<CancelSearchRequest, Search> onCancel = unscripted();
  public volatile Function<GetResultsRequest, GetResultsResponse> onResults = unscripted();
  public volatile Function<ListSpacesRequest, ListSpacesResponse> onSpaces = unscripted();
  public volatile Function<WatchSearchRequest, List<SearchEvent>> onWatch = unscripted();

  /** Leave the watch stream open after the scripted events. */
  public volatile boolean keepWatchOpen;

  private static <Q, R> Function<Q, R> unscripted() {
    return q -> {
      throw Status.UNIMPLEMENTED.withDescription("not scripted").asRuntimeException();
    };
  }

  public <T extends Message> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void createSearch(CreateSearchRequest request, StreamObserver<Search> response) {
    unary(request, response, onCreate);
  }

  @Override
  public void getSearch(GetSearchRequest request, StreamObserver<Search> response) {
    unary(request, response, onGet);
  }

  @Override
  public void listSearches(
      ListSearchesRequest request, StreamObserver<ListSearchesResponse> response) {
    unary(request, response, onList);
  }

  @Override
  public void cancelSearch(CancelSearchRequest request, StreamObserver<Search> response) {
    unary(request, response, onCancel);
  }

  @Override
  public void getResults(GetResultsRequest request, StreamObserver<GetResultsResponse> response) {
    unary(request, response, onResults);
  }

  @Override
  public void listSpaces(ListSpacesRequest request, StreamObserver<ListSpacesResponse> response) {
    unary(request, response, onSpaces);
  }

  @Override
  public void watchSearch(WatchSearchRequest request, StreamObserver<SearchEvent> response) {
    record(request);
    ((ServerCallStreamObserver<SearchEvent>) response)
        .setOnCancelHandler(watchCancelled::countDown);
    try {
      onWatch.apply(request).forEach(response::onNext);
      if (!keepWatchOpen) {
        response.onCompleted();
      }
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private <Q extends Message, R> void unary(
      Q request, StreamObserver<R> response, Function<Q, R> script) {
    record(request);
    try {
      R answer = script.apply(request);
      if (answer != null) {
        response.onNext(answer);
        response.onCompleted();
      }
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private void record(Message request) {
    requests.add(request);
    deadlines.add(Optional.ofNullable(Context.current().getDeadline()));
  }
}
