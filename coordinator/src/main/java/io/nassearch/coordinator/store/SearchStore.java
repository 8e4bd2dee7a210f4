package io.nassearch.coordinator.store;

import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Holds searches and their results. Implementations are thread-safe and return values that callers
 * cannot change (protobuf messages are immutable).
 *
 * <p>A call that fails throws {@link StoreException}; a transient fault (disk full, read-only,
 * database down) also makes the store report {@link #unwritable} until a write succeeds again.
 */
public interface SearchStore extends AutoCloseable {
  /**
   * Stores a new search owned by {@code owner} (the identity that created it; empty without auth).
   * If {@code requestId} is non-empty and a search was created with it before, returns that search
   * instead and stores nothing.
   */
  Search create(Search search, String requestId, String owner);

  /** As {@link #create(Search, String, String)} with no owner. */
  default Search create(Search search, String requestId) {
    return create(search, requestId, "");
  }

  /** The owner of a search ("" when it has none); empty when there is no such search. */
  Optional<String> owner(String searchId);

  /** The searches of {@code owner}, newest first. */
  List<Search> list(String owner);

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
   * In one transaction: appends the candidates scored in the last round and the new trial records,
   * deletes the stored candidates with the architectures in {@code removed} (a search that keeps
   * only its best ones; the others keep their order), replaces the algorithm state and stores the
   * search. A crash leaves either the state before or after, never a mix. Returns once the
   * transaction is committed; concurrent calls may share one commit.
   */
  void checkpoint(
      Search search,
      List<ScoredCandidate> newlyScored,
      List<String> removed,
      List<byte[]> newTrialRecords,
      byte[] algorithmState);

  /** As above, deleting no candidates and with no trial records. */
  default void checkpoint(Search search, List<ScoredCandidate> newlyScored, byte[] algorithmState) {
    checkpoint(search, newlyScored, List.of(), List.of(), algorithmState);
  }

  /** The last checkpoint of a search, if it has reached one. */
  Optional<Checkpoint> checkpoint(String searchId);

  /** Why the store refuses writes now; empty while it takes them. */
  default Optional<StoreException> unwritable() {
    return Optional.empty();
  }

  /** Waits up to {@code max} for the store to take writes; true if it does. */
  default boolean awaitWritable(Duration max) throws InterruptedException {
    return true;
  }

  /** Runs {@code listener} after each change between writable and unwritable. */
  default void onWritabilityChange(Runnable listener) {}

  @Override
  default void close() {}
}
