package io.nassearch.coordinator.search;

import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeenSet;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a surrogate-scored search keeps of its scored candidates, in memory that does not grow with
 * them beyond {@value SeenSet#EXACT_LIMIT} candidates: how many distinct ones there were, a {@link
 * SeenSet} of them, the top {@code k}, and a uniform sample of {@value #SAMPLE_SIZE} (reservoir
 * sampling with its own seeded generator).
 *
 * <p>Stored: a search of up to {@value SeenSet#EXACT_LIMIT} candidates ({@link #keepsAll}) stores
 * every candidate, so a restart rebuilds the exact seen set and continues exactly; a bigger one
 * stores only changes to its top {@code k} and the sample with its checkpoint, and after a restart
 * its seen set holds only those (a candidate scored before may be scored, and counted, again). Not
 * thread-safe.
 */
final class ScoredSummary {
  static final int SAMPLE_SIZE = 1024;

  private final SearchSpace space;
  private final boolean keepsAll;
  private final SeenSet seen;
  private final TopCandidates top;
  private final List<Scored> sample = new ArrayList<>(SAMPLE_SIZE);
  private final Xoshiro256 sampleRng;
  private final List<ScoredCandidate> newCandidates = new ArrayList<>();
  private long distinct;

  ScoredSummary(SearchSpace space, long candidateBudget, int topK, long seed) {
    this.space = space;
    this.keepsAll = candidateBudget <= SeenSet.EXACT_LIMIT;
    this.seen = SeenSet.forEvaluations(candidateBudget);
    this.top = new TopCandidates(topK);
    this.sampleRng = new Xoshiro256(seed ^ 0x5A3D1EL);
  }

  /** Whether every candidate is stored (and restored exactly). */
  boolean keepsAll() {
    return keepsAll;
  }

  /** Records a scored candidate; returns false (and records nothing) for one already seen. */
  boolean add(Architecture a, double score) {
    return add(a, score, keepsAll);
  }

  /** As {@link #add(Architecture, double)} for a candidate the store already holds. */
  boolean addStored(Architecture a, double score) {
    return add(a, score, false);
  }

  private boolean add(Architecture a, double score, boolean store) {
    if (!seen.add(a)) {
      return false;
    }
    long order = distinct++;
    top.offer(a, score, order);
    if (sample.size() < SAMPLE_SIZE) {
      sample.add(new Scored(a, score));
    } else {
      long slot = sampleRng.nextLong(distinct);
      if (slot < SAMPLE_SIZE) {
        sample.set((int) slot, new Scored(a, score));
      }
    }
    if (store) {
      newCandidates.add(new ScoredCandidate(space.format(a), score));
    }
    return true;
  }

  boolean seen(Architecture a) {
    return seen.contains(a);
  }

  /** Distinct candidates scored. */
  long distinct() {
    return distinct;
  }

  Optional<TopCandidates.Entry> best() {
    return Optional.ofNullable(top.best());
  }

  /** The top {@code k}, in the order they were scored. */
  Map<Architecture, Double> top() {
    return top.inOfferOrder();
  }

  List<Scored> sample() {
    return List.copyOf(sample);
  }

  /** What to store since the last call: new candidates, and those to delete. */
  Delta takeDelta() {
    TopCandidates.Changes changes = top.takeChanges();
    if (keepsAll) {
      Delta delta = new Delta(List.copyOf(newCandidates), List.of());
      newCandidates.clear();
      return delta;
    }
    List<ScoredCandidate> added = new ArrayList<>(changes.added().size());
    changes
        .added()
        .forEach(e -> added.add(new ScoredCandidate(space.format(e.architecture()), e.score())));
    List<String> removed = new ArrayList<>(changes.removed().size());
    changes.removed().forEach(e -> removed.add(space.format(e.architecture())));
    return new Delta(added, removed);
  }

  record Delta(List<ScoredCandidate> added, List<String> removed) {}

  /** The count and the sample (the top {@code k} or every candidate are stored as candidates). */
  void write(DataOutputStream out) throws IOException {
    out.writeLong(distinct);
    for (long word : sampleRng.state()) {
      out.writeLong(word);
    }
    out.writeInt(sample.size());
    for (Scored s : sample) {
      out.writeUTF(space.format(s.architecture()));
      out.writeDouble(s.score());
    }
  }

  /**
   * Loads what {@link #write} wrote and the stored candidates, into this new summary; returns what
   * a designer is restored with: every candidate in order, or the top {@code k} and the sample.
   */
  List<Scored> restore(DataInputStream in, List<ScoredCandidate> stored) throws IOException {
    long storedDistinct = in.readLong();
    long[] rngState = new long[4];
    for (int i = 0; i < 4; i++) {
      rngState[i] = in.readLong();
    }
    int n = in.readInt();
    if (n < 0 || n > SAMPLE_SIZE) {
      throw new IOException("sample of " + n);
    }
    List<Scored> storedSample = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      storedSample.add(new Scored(space.parse(in.readUTF()), in.readDouble()));
    }
    List<Scored> completed = new ArrayList<>(stored.size() + n);
    for (ScoredCandidate c : stored) {
      Architecture a = space.parse(c.architecture());
      addStored(a, c.score());
      completed.add(new Scored(a, c.score()));
    }
    top.takeChanges();
    if (keepsAll) {
      return completed; // replaying every candidate rebuilt the sample exactly
    }
    storedSample.forEach(s -> seen.add(s.architecture()));
    sample.clear();
    sample.addAll(storedSample);
    sampleRng.setState(rngState);
    distinct = Math.max(distinct, storedDistinct);
    completed.addAll(storedSample);
    return completed;
  }
}
