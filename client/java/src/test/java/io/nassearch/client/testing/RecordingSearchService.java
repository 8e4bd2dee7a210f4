package io.nassearch.client.testing;

import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
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
import java.util.function.Supplier;

/**
 * A scripted SearchService on the real wire protocol: each RPC records its request and deadline,
 * then answers with its script. A script may throw a StatusRuntimeException (sent as the error) or
 * return null (never answer). Unscripted RPCs fail UNIMPLEMENTED.
 */
public final class RecordingSearchService implements BindableService {
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
  public volatile Function<
          io.nassearch.api.v1.AskTrialsRequest, io.nassearch.api.v1.AskTrialsResponse>
      onAsk = unscripted();

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

  /** The scripted RPCs; the others are not registered, so they fail UNIMPLEMENTED. */
  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(SearchServiceGrpc.SERVICE_NAME)
        .addMethod(SearchServiceGrpc.getCreateSearchMethod(), unary(() -> onCreate))
        .addMethod(SearchServiceGrpc.getGetSearchMethod(), unary(() -> onGet))
        .addMethod(SearchServiceGrpc.getListSearchesMethod(), unary(() -> onList))
        .addMethod(SearchServiceGrpc.getCancelSearchMethod(), unary(() -> onCancel))
        .addMethod(SearchServiceGrpc.getGetResultsMethod(), unary(() -> onResults))
        .addMethod(SearchServiceGrpc.getListSpacesMethod(), unary(() -> onSpaces))
        .addMethod(SearchServiceGrpc.getAskTrialsMethod(), unary(() -> onAsk))
        .addMethod(
            SearchServiceGrpc.getWatchSearchMethod(),
            ServerCalls.asyncServerStreamingCall(this::watchSearch))
        .build();
  }

  private void watchSearch(WatchSearchRequest request, StreamObserver<SearchEvent> response) {
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

  /** Records the request, then answers with the script current at call time. */
  private <Q extends Message, R> ServerCallHandler<Q, R> unary(Supplier<Function<Q, R>> script) {
    return ServerCalls.asyncUnaryCall(
        (request, response) -> {
          record(request);
          try {
            R answer = script.get().apply(request);
            if (answer != null) {
              response.onNext(answer);
              response.onCompleted();
            }
          } catch (StatusRuntimeException e) {
            response.onError(e);
          }
        });
  }

  private void record(Message request) {
    requests.add(request);
    deadlines.add(Optional.ofNullable(Context.current().getDeadline()));
  }
}
