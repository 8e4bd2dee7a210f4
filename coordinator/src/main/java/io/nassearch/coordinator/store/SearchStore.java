package io.nassearch.coordinator.store;

import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import java.util.List;
import java.util.Optional;

/**
 * Holds searches and their results. Implementations are thread-safe and return values that callers
 * cannot change (protobuf messages are immutable).
 */
public interface SearchStore extends AutoCloseable {
  /**
   * Stores a new search. If {@code requestId} is non-empty and a search was created with it before,
   * returns that search instead and stores nothing.
   */
  Search create(Search search, String requestId);

  Optional<Search> get(String searchId);

  /** The search created by a CreateSearch with this request id, if any. */
  Optional<Search> findByRequestId(String requestId);

  /** All searches, newest first. */
  List<Search> list();

  /** Replaces a stored search (same id). Throws IllegalStateException if it does not exist. */
  void update(Search search);

  /**
   * Replaces a finished search's results: the ranked candidates and whatever else it reports
   * (front, archive, optima), everything but the search itself.
   */
  void putResults(String searchId, GetResultsResponse results);

  /** The stored results; empty when none were stored. */
  Optional<GetResultsResponse> results(String searchId);

  /** Stores a trained model's bytes under its id (idempotent). */
  void putModel(String modelId, byte[] model);

  Optional<byte[]> model(String modelId);

  /**
   * In one transaction: appends the candidates scored in the last round, replaces the algorithm
   * state and stores the search. A crash leaves either the state before or after, never a mix.
   */
  void checkpoint(Search search, List<ScoredCandidate> newlyScored, byte[] algorithmState);

  /** The last checkpoint of a search, if it has reached one. */
  Optional<Checkpoint> checkpoint(String searchId);

  @Override
  default void close() {}
}
