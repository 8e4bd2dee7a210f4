package io.nassearch.coordinator.store;

import io.nassearch.api.v1.Candidate;
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

  void putResults(String searchId, List<Candidate> ranked);

  /** The stored results, best first; empty when none were stored. */
  List<Candidate> results(String searchId);

  @Override
  default void close() {}
}
