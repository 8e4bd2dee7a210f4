package io.nassearch.client;

import io.nassearch.client.impl.NasClientBuilderImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Client of the nas-search coordinator's SearchService: create searches, follow them, read their
 * results.
 *
 * <p>Build one with {@link #newBuilder()} and share it; it is thread-safe and holds one gRPC
 * channel. Every unary call carries the builder's default deadline. Search ids may be given as
 * {@code "abc"} or {@code "searches/abc"}. Every failed call throws {@link NasClientException}.
 *
 * <pre>{@code
 * try (NasClient client = NasClient.newBuilder().target("localhost:7070").build()) {
 *   Search search = client.createSearch(SearchRequest.builder().candidateBudget(5000).seed(1).build());
 *   client.awaitCompletion(search.id(), Duration.ofMinutes(10), e -> System.out.println(e.message()));
 *   client.results(search.id(), 10).candidates().forEach(System.out::println);
 * }
 * }</pre>
 */
public interface NasClient extends AutoCloseable {

  static NasClientBuilder newBuilder() {
    return new NasClientBuilderImpl();
  }

  /** Creates and starts a search; with a request id already used, returns the first search. */
  Search createSearch(SearchRequest request);

  CompletableFuture<Search> createSearchAsync(SearchRequest request);

  Search getSearch(String searchId);

  CompletableFuture<Search> getSearchAsync(String searchId);

  /** One page of searches, newest first; {@code pageSize} 0 means the server default. */
  SearchPage listSearches(int pageSize, String pageToken);

  /** All searches, newest first, following page tokens. */
  List<Search> listSearches();

  /** Cancels an unfinished search and returns it in state CANCELLED. */
  Search cancelSearch(String searchId);

  /** The best {@code topK} candidates so far, best first; {@code topK <= 0} means the search's. */
  Results results(String searchId, int topK);

  List<SpaceInfo> spaces();

  /**
   * Ask/tell for a {@code predictor_guided} search with {@link SearchRequest.Evaluator#CLIENT}: up
   * to {@code count} architectures to train, this client's unfinished trials first. Empty once the
   * query budget is handed out. May take seconds while the surrogate ensemble retrains.
   *
   * @param clientId names this client, so that after a restart it gets its pending trials back
   */
  List<Trial> askTrials(String searchId, int count, String clientId);

  /**
   * Reports the measured objective (higher is better) of a trial handed out by {@link #askTrials};
   * stored before this returns. An architecture that was not asked for goes to {@link #addTrial}.
   */
  Trial tellTrial(String searchId, String architecture, double objective);

  /** Reports that a trial could not be evaluated (a fault); it is not suggested again. */
  Trial tellFailure(String searchId, String architecture, String reason);

  /** Reports that a trial's architecture is not a valid solution; it is not suggested again. */
  Trial tellInfeasible(String searchId, String architecture, String reason);

  /**
   * Adds the measured objective of an architecture that was not asked for (e.g. a known baseline);
   * it counts against the query budget.
   */
  Trial addTrial(String searchId, String architecture, double objective, String clientId);

  /**
   * Records an intermediate measurement of a pending trial (e.g. validation accuracy after an
   * epoch) and says whether to stop training it, by the search's {@link EarlyStopping} rule. When
   * it says stop, the trial is already recorded as STOPPED with this value.
   */
  StopAdvice reportIntermediate(String searchId, String architecture, long step, double value);

  /** A predictor-guided search's trials: told ones in order, then failed, then pending. */
  List<Trial> listTrials(String searchId);

  /**
   * Streams a search's changes to {@code onEvent}: its current state first, then each change. No
   * deadline applies; close the watch or use {@link SearchWatch#awaitCompletion(Duration)}.
   */
  SearchWatch watch(String searchId, Consumer<SearchEvent> onEvent);

  /**
   * Watches a search until it reaches a terminal state and returns that.
   *
   * @throws NasClientException DEADLINE_EXCEEDED when {@code timeout} passes first
   */
  Search awaitCompletion(String searchId, Duration timeout, Consumer<SearchEvent> onEvent);

  /** Closes the channel if this client created it; waits briefly for calls to end. */
  @Override
  void close();
}
