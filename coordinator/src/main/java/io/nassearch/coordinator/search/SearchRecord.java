package io.nassearch.coordinator.search;

import com.google.protobuf.util.Timestamps;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * One running search's record: every change gets a fresh update time, goes to the store, and is
 * then announced to the metrics listener and the watchers, in that order. Thread-safe.
 */
final class SearchRecord {
  private final SearchStore store;
  private final SearchEvents events;
  private final SearchListener listener;
  private Search search;

  SearchRecord(Search search, SearchStore store, SearchEvents events, SearchListener listener) {
    this.search = search;
    this.store = store;
    this.events = events;
    this.listener = listener;
  }

  synchronized Search current() {
    return search;
  }

  synchronized void update(Consumer<Search.Builder> change, String message) {
    search = changed(change);
    store.update(search);
    announce(message);
  }

  /** Stores the new candidates, the algorithm state and the changed search in one transaction. */
  synchronized void checkpoint(
      Consumer<Search.Builder> change,
      List<ScoredCandidate> newlyScored,
      byte[] algorithmState,
      String message) {
    search = changed(change);
    store.checkpoint(search, newlyScored, algorithmState);
    announce(message);
  }

  private Search changed(Consumer<Search.Builder> change) {
    Search.Builder b = search.toBuilder();
    change.accept(b);
    b.setUpdateTime(Timestamps.now());
    return b.build();
  }

  private void announce(String message) {
    listener.searchChanged(search);
    events.publish(SearchEvent.newBuilder().setSearch(search).setMessage(message).build());
  }
}
