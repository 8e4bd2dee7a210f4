package io.nassearch.coordinator.search;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The {@code k} best scored architectures of a search, ranked as a stable sort of everything
 * offered would rank them (higher score first, earlier offer first among ties), with what changed
 * since {@link #takeChanges} was last called. Not thread-safe.
 */
final class TopCandidates {
  /** An entry; {@code order} is the offer's position, which breaks ties. */
  record Entry(Architecture architecture, double score, long order) {}

  private static final Comparator<Entry> WORST_FIRST =
      Comparator.comparingDouble(Entry::score)
          .thenComparing(Comparator.comparingLong(Entry::order).reversed());

  private final int k;
  private final PriorityQueue<Entry> entries;
  private final Set<Entry> added = new LinkedHashSet<>();
  private final Set<Entry> removed = new LinkedHashSet<>();

  TopCandidates(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.entries = new PriorityQueue<>(k + 1, WORST_FIRST);
  }

  /** Keeps {@code a} if it ranks among the best {@code k}; returns whether it does. */
  boolean offer(Architecture a, double score, long order) {
    if (entries.size() == k && score <= entries.peek().score() && order > entries.peek().order()) {
      return false; // the common case, without an allocation
    }
    Entry e = new Entry(a, score, order);
    if (entries.size() == k) {
      if (WORST_FIRST.compare(e, entries.peek()) <= 0) {
        return false;
      }
      Entry evicted = entries.poll();
      if (!added.remove(evicted)) {
        removed.add(evicted);
      }
    }
    entries.add(e);
    added.add(e);
    return true;
  }

  /** The entries in offer order (a stable sort of it by score gives the ranking). */
  Map<Architecture, Double> inOfferOrder() {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::order));
    Map<Architecture, Double> out = new LinkedHashMap<>();
    sorted.forEach(e -> out.put(e.architecture(), e.score()));
    return out;
  }

  /** The best entry, if any. */
  Entry best() {
    Entry best = null;
    for (Entry e : entries) {
      if (best == null || WORST_FIRST.compare(e, best) > 0) {
        best = e;
      }
    }
    return best;
  }

  /**
   * Entries kept and dropped since the last call (an entry both kept and dropped is in neither).
   */
  Changes takeChanges() {
    List<Entry> in = new ArrayList<>(added);
    in.sort(Comparator.comparingLong(Entry::order));
    Changes changes = new Changes(in, new ArrayList<>(removed));
    added.clear();
    removed.clear();
    return changes;
  }

  record Changes(List<Entry> added, List<Entry> removed) {}
}
