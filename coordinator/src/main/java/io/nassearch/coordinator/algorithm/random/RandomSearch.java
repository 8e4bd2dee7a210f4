package io.nassearch.coordinator.algorithm.random;

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
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random search: every proposal is drawn uniformly from the space, skipping architectures already
 * observed, pending or already in the same batch, until the space is used up (then repeats are
 * allowed). Scores are ignored; {@link #update} only records which architectures were seen, in a
 * {@link SeenSet} that the snapshot leaves out ({@link #restore} rebuilds it from the completed
 * results). {@link #suggest} advances the generator and nothing else.
 *
 * <p>Not thread-safe: one search loop drives an instance from one thread.
 */
public final class RandomSearch extends SeededDesigner<RandomSearchProvider.Config> {
  private static final int FORMAT = 2;
  private static final int FORMAT_WITH_SEEN = 1;

  private final Supplier<SeenSet> seenSets;
  private SeenSet seen;

  RandomSearch(
      SearchSpace space,
      RandomSearchProvider.Config config,
      long seed,
      Supplier<SeenSet> seenSets) {
    super(space, config, seed);
    this.seenSets = seenSets;
    this.seen = seenSets.get();
  }

  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending) {
    Sampling.requirePositive(n);
    List<Architecture> out = new ArrayList<>(n);
    SeenSet batch = SeenSet.exact();
    for (int i = 0; i < n; i++) {
      Architecture a =
          Sampling.sampleAvoiding(
              space, rng, x -> seen.contains(x) || batch.contains(x) || pending.contains(x));
      batch.add(a);
      out.add(a);
    }
    return out;
  }

  @Override
  public void update(List<Scored> scored) {
    for (Scored s : scored) {
      seen.add(s.architecture());
    }
  }

  @Override
  public byte[] snapshot() {
    return new SnapshotWriter(RandomSearchProvider.NAME, FORMAT, config)
        .writeRandom(rng)
        .toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in =
        new SnapshotReader(
            snapshot, RandomSearchProvider.NAME, FORMAT_WITH_SEEN, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    if (in.format() == FORMAT_WITH_SEEN) {
      in.readArchitectures(Integer.MAX_VALUE); // the completed results say the same
    }
    in.finish();
    rng.setState(restoredRng.state());
    seen = seenSets.get();
    completed.forEach(s -> seen.add(s.architecture()));
  }
}
