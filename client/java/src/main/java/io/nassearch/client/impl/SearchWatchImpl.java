package io.nassearch.client.impl;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.nassearch.api.v1.WatchSearchRequest;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Search;
import io.nassearch.client.SearchEvent;
import io.nassearch.client.SearchWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes one WatchSearch stream. gRPC calls the observer methods serially; the outcome goes into
 * a future that {@link #awaitCompletion} waits on. A callback that throws ends the watch and its
 * exception is rethrown from {@link #awaitCompletion}.
 */
final class SearchWatchImpl
    implements SearchWatch,
        ClientResponseObserver<WatchSearchRequest, io.nassearch.api.v1.SearchEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(SearchWatchImpl.class);

  private final String searchName;
  private final Consumer<SearchEvent> onEvent;
  private final CompletableFuture<Search> outcome = new CompletableFuture<>();
  private final AtomicReference<Search> latest = new AtomicReference<>();
  private volatile ClientCallStreamObserver<WatchSearchRequest> call;

  SearchWatchImpl(String searchName, Consumer<SearchEvent> onEvent) {
    this.searchName = searchName;
    this.onEvent = onEvent;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchSearchRequest> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(io.nassearch.api.v1.SearchEvent proto) {
    if (outcome.isDone()) {
      return;
    }
    SearchEvent event = SearchEvent.fromProto(proto);
    latest.set(event.search());
    try {
      onEvent.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("Expected the event callback of {} to return, but it threw", searchName, e);
      outcome.completeExceptionally(e);
      call.cancel("event callback failed", e);
    }
  }

  @Override
  public void onError(Throwable t) {
    NasClientException mapped = GrpcErrors.toClientException(t);
    LOG.debug("Watch of {} ended: {}", searchName, mapped.getMessage());
    outcome.completeExceptionally(mapped);
  }

  @Override
  public void onCompleted() {
    Search last = latest.get();
    if (last != null && last.state().isTerminal()) {
      outcome.complete(last);
    } else {
      outcome.completeExceptionally(
          new NasClientException(
              Status.Code.UNKNOWN,
              "Expected the watch of "
                  + searchName
                  + " to end after a terminal state, but it ended in "
                  + (last == null ? "no state" : last.state())));
    }
  }

  @Override
  public Search awaitCompletion(Duration timeout) {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new NasClientException(
          Status.Code.DEADLINE_EXCEEDED,
          "Expected "
              + searchName
              + " to finish within "
              + timeout
              + ", but it is "
              + latest().map(s -> s.state().toString()).orElse("not yet reported"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw GrpcErrors.toClientException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NasClientException(
          Status.Code.CANCELLED,
          "interrupted while watching " + searchName,
          java.util.List.of(),
          e);
    }
  }

  @Override
  public Optional<Search> latest() {
    return Optional.ofNullable(latest.get());
  }

  @Override
  public boolean isDone() {
    return outcome.isDone();
  }

  @Override
  public void close() {
    if (!outcome.isDone()) {
      call.cancel("watch closed by client", null);
    }
  }
}
