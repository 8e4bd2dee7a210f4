package io.nassearch.coordinator.search;

import com.google.protobuf.util.Timestamps;
import io.grpc.Context;
import io.grpc.Deadline;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchEvent;
import io.nassearch.coordinator.store.ScoredCandidate;
import io.nassearch.coordinator.store.SearchStore;
import io.nassearch.coordinator.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.annotation.concurrent.GuardedBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running search's record: every change gets a fresh update time, goes to the store, and is
 * then announced to the metrics listener and the watchers, in that order. Thread-safe.
 *
 * <p>Store faults pause the search instead of failing it. A write that fails with a transient
 * {@link StoreException} (disk full, read-only, database down) is retried until the store takes
 * writes again; meanwhile {@link #current} shows the last stored search with a "paused: ..." error
 * and watchers get one event saying so. The search's own thread waits as long as it takes (until
 * the coordinator stops); a client's call waits at most {@link #CALL_PATIENCE} (or its deadline)
 * and then fails with UNAVAILABLE. Results whose checkpoint failed that way stay pending here and
 * go into the next checkpoint, so nothing is dropped; a call that would report them as stored first
 * writes them ({@link #flushPending}).
 */
final class SearchRecord {
  private static final Logger log = LoggerFactory.getLogger(SearchRecord.class);
  static final Duration CALL_PATIENCE = Duration.ofSeconds(5);
  private static final Duration RETRY_EVERY = Duration.ofMillis(200);

  private final SearchStore store;
  private final SearchEvents events;
  private final SearchListener listener;
  private final Object writes = new Object();
  private volatile Search search;
  private volatile String pausedBecause;
  private volatile boolean stopping;

  /** Whether {@link #pending} holds results not yet stored. */
  private volatile boolean unstored;

  @GuardedBy("writes")
  private final List<ScoredCandidate> pending = new ArrayList<>();

  @GuardedBy("writes")
  private final List<String> pendingRemovals = new ArrayList<>();

  @GuardedBy("writes")
  private final List<byte[]> pendingRecords = new ArrayList<>();

  @GuardedBy("writes")
  private byte[] pendingState;

  SearchRecord(Search search, SearchStore store, SearchEvents events, SearchListener listener) {
    this.search = search;
    this.store = store;
    this.events = events;
    this.listener = listener;
  }

  /**
   * The search as last changed; while paused (the store refuses writes, or results wait to be
   * stored), with the reason in its error.
   */
  Search current() {
    String paused = pausedBecause;
    Search s = search;
    if (paused == null || (!unstored && store.unwritable().isEmpty())) {
      return s;
    }
    return s.toBuilder().setError(paused).build();
  }

  /** The coordinator is stopping: writes stop waiting for the store. */
  void stopWaiting() {
    stopping = true;
  }

  void update(Consumer<Search.Builder> change, String message) {
    synchronized (writes) {
      Search next = changed(change);
      durably(() -> store(next));
      search = next;
      announce(message);
    }
  }

  /**
   * Stores the new candidates and trial records, the algorithm state and the changed search in one
   * transaction.
   */
  void checkpoint(
      Consumer<Search.Builder> change,
      List<ScoredCandidate> newlyScored,
      List<byte[]> newTrialRecords,
      byte[] algorithmState,
      String message) {
    checkpoint(change, newlyScored, List.of(), newTrialRecords, algorithmState, message);
  }

  /** As above, also deleting the stored candidates with the architectures in {@code removed}. */
  void checkpoint(
      Consumer<Search.Builder> change,
      List<ScoredCandidate> newlyScored,
      List<String> removed,
      List<byte[]> newTrialRecords,
      byte[] algorithmState,
      String message) {
    synchronized (writes) {
      Search next = changed(change);
      for (String architecture : removed) {
        // one that is still unstored is simply not stored
        if (!pending.removeIf(c -> c.architecture().equals(architecture))) {
          pendingRemovals.add(architecture);
        }
      }
      pending.addAll(newlyScored);
      pendingRecords.addAll(newTrialRecords);
      pendingState = algorithmState;
      unstored = true;
      try {
        durably(() -> store(next));
      } finally {
        search = next; // stored, or pending: the next write carries it along
      }
      announce(message);
    }
  }

  /** Writes results whose checkpoint failed earlier; throws while the store still refuses. */
  void flushPending() {
    synchronized (writes) {
      if (pendingState != null) {
        Search s = search;
        durably(() -> store(s));
      }
    }
  }

  @GuardedBy("writes")
  private Void store(Search s) {
    if (pendingState == null) {
      store.update(s);
    } else {
      store.checkpoint(
          s,
          List.copyOf(pending),
          List.copyOf(pendingRemovals),
          List.copyOf(pendingRecords),
          pendingState);
      pending.clear();
      pendingRemovals.clear();
      pendingRecords.clear();
      pendingState = null;
      unstored = false;
    }
    return null;
  }

  /**
   * Runs a store write, retrying while the store has a transient fault: forever on the search's own
   * thread, for a while on a client's call.
   */
  <T> T durably(Supplier<T> write) {
    Context call = Context.current();
    boolean client = call != Context.ROOT;
    long wait = CALL_PATIENCE.toMillis();
    if (call.getDeadline() != null) {
      // Half the time left, so that the client hears why rather than DEADLINE_EXCEEDED.
      wait = Math.min(wait, call.getDeadline().timeRemaining(TimeUnit.MILLISECONDS) / 2);
    }
    Deadline patience = Deadline.after(wait, TimeUnit.MILLISECONDS);
    while (true) {
      try {
        T result = write.get();
        resumed();
        return result;
      } catch (StoreException e) {
        if (!e.isTransient()
            || stopping
            || (client && (patience.isExpired() || call.isCancelled()))) {
          throw e;
        }
        paused(e);
        try {
          store.awaitWritable(RETRY_EVERY);
          Thread.sleep(RETRY_EVERY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void paused(StoreException e) {
    if (pausedBecause != null) {
      return;
    }
    pausedBecause = "paused: " + e.fault() + "; continues when the store takes writes again";
    log.warn(
        "Search {} paused: the store does not take writes ({})", search.getSearchId(), e.fault());
    events.publish(SearchEvent.newBuilder().setSearch(current()).setMessage(pausedBecause).build());
  }

  private void resumed() {
    if (pausedBecause == null) {
      return;
    }
    pausedBecause = null;
    log.info("Search {} continues: the store takes writes again", search.getSearchId());
  }

  private Search changed(Consumer<Search.Builder> change) {
    Search.Builder b = search.toBuilder();
    change.accept(b);
    b.setUpdateTime(Timestamps.now());
    return b.build();
  }

  private void announce(String message) {
    listener.searchChanged(search);
    events.publish(SearchEvent.newBuilder().setSearch(current()).setMessage(message).build());
  }
}
