package io.nassearch.coordinator.algorithm.localsearch;

import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeededDesigner;
import io.nassearch.coordinator.algorithm.SeenSet;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Best-improvement hill climbing with random restarts, as in White et al. 2020 ("Local search is
 * state of the art for NAS benchmarks"). A climb starts at a random unseen architecture; each step
 * evaluates every neighbour of the current architecture ({@link SearchSpace#neighbours}) and moves
 * to the best one if it beats the current score. When no neighbour is better the climb is at a
 * local optimum and restarts at random; after {@code max_restarts} restarts it proposes random
 * unseen architectures.
 *
 * <p>Batches: a start is proposed together with its neighbours, so {@link #suggest} returns the
 * start plus up to {@code n - 1} neighbours; during a climb it returns the current architecture's
 * neighbours not yet scored. It may therefore return fewer than {@code n}. {@link #suggest}
 * advances the generator and nothing else. {@link #update} records every score (a neighbour scored
 * earlier is not proposed again) and then advances the climb as far as the known scores allow. When
 * the observations of a start batch arrive, the best of them becomes the current architecture.
 * Pending architectures are not proposed again. Scores are kept for the current climb: once more
 * than {@value #MAX_SCORES} are held, only the current architecture's neighbourhood keeps them (a
 * {@link SeenSet}, left out of the snapshot and rebuilt from the completed results, still keeps
 * restarts away from everything seen).
 *
 * <p>Not thread-safe: one search loop drives an instance from one thread.
 */
public final class LocalSearch extends SeededDesigner<LocalSearchProvider.Config> {
  private static final int FORMAT = 1;
  static final int MAX_SCORES = 16_384;

  private final Map<Architecture, Double> scores = new LinkedHashMap<>();
  private final Supplier<SeenSet> seenSets;
  private SeenSet seen;
  private Architecture current;
  private double currentScore;
  private int restarts;
  private boolean climbing = true;

  LocalSearch(
      SearchSpace space, LocalSearchProvider.Config config, long seed, Supplier<SeenSet> seenSets) {
    super(space, config, seed);
    this.seenSets = seenSets;
    this.seen = seenSets.get();
  }

  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending) {
    Sampling.requirePositive(n);
    Set<Architecture> out = new LinkedHashSet<>();
    Predicate<Architecture> taken = x -> seen.contains(x) || out.contains(x) || pending.contains(x);
    if (!climbing) {
      while (out.size() < n) {
        Architecture a = Sampling.sampleAvoiding(space, rng, taken);
        if (!out.add(a)) {
          break; // space used up
        }
      }
      return new ArrayList<>(out);
    }
    Architecture centre = current;
    if (centre == null) {
      centre = Sampling.sampleAvoiding(space, rng, taken);
      out.add(centre);
    }
    for (Architecture neighbour : space.neighbours(centre)) {
      if (out.size() >= n) {
        break;
      }
      if (!scores.containsKey(neighbour) && !pending.contains(neighbour)) {
        out.add(neighbour);
      }
    }
    if (out.isEmpty()) {
      out.add(Sampling.sampleAvoiding(space, rng, taken));
    }
    return new ArrayList<>(out);
  }

  @Override
  public void update(List<Scored> scored) {
    Scored best = null;
    for (Scored s : scored) {
      scores.put(s.architecture(), s.score());
      seen.add(s.architecture());
      if (best == null || s.score() > best.score()) {
        best = s;
      }
    }
    if (climbing && current == null && best != null) {
      current = best.architecture();
      currentScore = best.score();
    }
    advance();
    if (scores.size() > MAX_SCORES) {
      Set<Architecture> neighbourhood = new HashSet<>();
      if (current != null) {
        neighbourhood.add(current);
        neighbourhood.addAll(space.neighbours(current));
      }
      scores.keySet().retainAll(neighbourhood);
    }
  }

  /** Moves while every neighbour of the current architecture has a score. */
  private void advance() {
    while (climbing && current != null) {
      Architecture bestNeighbour = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (Architecture neighbour : space.neighbours(current)) {
        Double score = scores.get(neighbour);
        if (score == null) {
          return;
        }
        if (bestNeighbour == null || score > bestScore) {
          bestNeighbour = neighbour;
          bestScore = score;
        }
      }
      if (bestNeighbour != null && bestScore > currentScore) {
        current = bestNeighbour;
        currentScore = bestScore;
      } else {
        current = null;
        if (restarts < config.maxRestarts()) {
          restarts++;
        } else {
          climbing = false;
        }
      }
    }
  }

  @Override
  public byte[] snapshot() {
    SnapshotWriter out =
        new SnapshotWriter(LocalSearchProvider.NAME, FORMAT, config).writeRandom(rng);
    out.writeBoolean(climbing)
        .writeInt(restarts)
        .writeArchitecture(current)
        .writeDouble(currentScore);
    out.writeInt(scores.size());
    scores.forEach((a, s) -> out.writeArchitecture(a).writeDouble(s));
    return out.toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in =
        new SnapshotReader(snapshot, LocalSearchProvider.NAME, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    boolean restoredClimbing = in.readBoolean();
    int restoredRestarts = in.readCount(config.maxRestarts());
    Architecture restoredCurrent = in.readOptionalArchitecture();
    double restoredCurrentScore = in.readDouble();
    int count = in.readCount(Integer.MAX_VALUE);
    Map<Architecture, Double> restoredScores = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      restoredScores.put(in.readArchitecture(), in.readDouble());
    }
    in.finish();
    rng.setState(restoredRng.state());
    climbing = restoredClimbing;
    restarts = restoredRestarts;
    current = restoredCurrent;
    currentScore = restoredCurrentScore;
    scores.clear();
    scores.putAll(restoredScores);
    seen = seenSets.get();
    completed.forEach(s -> seen.add(s.architecture()));
  }

  /** Random restarts taken so far. */
  int restarts() {
    return restarts;
  }
}
