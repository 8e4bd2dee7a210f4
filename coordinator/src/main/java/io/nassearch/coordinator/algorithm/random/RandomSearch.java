package io.nassearch.coordinator.algorithm.random;

import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeededDesigner;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Random search: every proposal is drawn uniformly from the space, skipping architectures already
 * observed or already in the same batch, until the space is used up (then repeats are allowed).
 * Scores are ignored; {@link #update} only records which architectures were seen. {@link #suggest}
 * advances the generator and nothing else.
 *
 * <p>Not thread-safe: one search loop drives an instance from one thread.
 */
public final class RandomSearch extends SeededDesigner<RandomSearchProvider.Config> {
  private static final int FORMAT = 1;

  private final Set<Architecture> seen = new LinkedHashSet<>();

  RandomSearch(SearchSpace space, RandomSearchProvider.Config config, long seed) {
    super(space, config, seed);
  }

  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending) {
    Sampling.requirePositive(n);
    List<Architecture> out = new ArrayList<>(n);
    Set<Architecture> batch = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      Architecture a = Sampling.sampleAvoiding(space, rng, seen, batch);
      batch.add(a);
      out.add(a);
    }
    return out;
  }

  @Override
  public void update(List<Scored> scored) {
    for (Scored s : scored) {
      space.validate(s.architecture());
      seen.add(s.architecture());
    }
  }

  @Override
  public byte[] snapshot() {
    return new SnapshotWriter(RandomSearchProvider.NAME, FORMAT, config)
        .writeRandom(rng)
        .writeArchitectures(seen)
        .toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in =
        new SnapshotReader(snapshot, RandomSearchProvider.NAME, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    List<Architecture> restoredSeen = in.readArchitectures(Integer.MAX_VALUE);
    in.finish();
    rng.setState(restoredRng.state());
    seen.clear();
    seen.addAll(restoredSeen);
  }
}
