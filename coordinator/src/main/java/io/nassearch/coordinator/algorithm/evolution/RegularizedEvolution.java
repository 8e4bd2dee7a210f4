package io.nassearch.coordinator.algorithm.evolution;

import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeededDesigner;
import io.nassearch.coordinator.algorithm.SeenSet;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Regularized (aging) evolution, Real et al. 2019, "Regularized Evolution for Image Classifier
 * Architecture Search". The population is the {@code population_size} most recent observations,
 * oldest first: every observed architecture joins at the young end and, once the population is
 * full, the oldest dies, whatever its score. Until the population has been filled, proposals are
 * uniform random samples. After that each proposal is a child: draw {@code sample_size} members
 * uniformly with replacement (the paper's tournament), take the best (the first drawn among ties)
 * and mutate one decision.
 *
 * <p>Batches: a batch proposed before the observations come back is built from the same population,
 * so its children come from independent tournaments over it. To avoid wasting budget on repeats, a
 * child already observed or already in the batch is re-mutated (a few times) and then replaced by a
 * random unseen architecture; the paper simply re-evaluates such children. Pending architectures
 * count as seen. {@link #suggest} advances the generator and nothing else; {@link #update} updates
 * the population and the {@link SeenSet} of seen architectures, which the snapshot leaves out
 * ({@link #restore} rebuilds it from the completed results).
 *
 * <p>Not thread-safe: one search loop drives an instance from one thread.
 */
public final class RegularizedEvolution
    extends SeededDesigner<RegularizedEvolutionProvider.Config> {
  private static final int FORMAT = 2;
  private static final int FORMAT_WITH_SEEN = 1;
  private static final int MUTATION_ATTEMPTS = 8;

  private final Deque<Scored> population = new ArrayDeque<>();
  private final Supplier<SeenSet> seenSets;
  private SeenSet seen;

  RegularizedEvolution(
      SearchSpace space,
      RegularizedEvolutionProvider.Config config,
      long seed,
      Supplier<SeenSet> seenSets) {
    super(space, config, seed);
    this.seenSets = seenSets;
    this.seen = seenSets.get();
  }

  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending) {
    Sampling.requirePositive(n);
    List<Scored> parents = new ArrayList<>(population);
    int randomSlots = parents.isEmpty() ? n : Math.max(0, config.populationSize() - parents.size());
    List<Architecture> out = new ArrayList<>(n);
    SeenSet batch = SeenSet.exact();
    Predicate<Architecture> taken =
        x -> seen.contains(x) || batch.contains(x) || pending.contains(x);
    for (int i = 0; i < n; i++) {
      Architecture a =
          i < randomSlots ? Sampling.sampleAvoiding(space, rng, taken) : child(parents, taken);
      batch.add(a);
      out.add(a);
    }
    return out;
  }

  private Architecture child(List<Scored> parents, Predicate<Architecture> taken) {
    Architecture parent = tournament(parents);
    for (int attempt = 0; attempt < MUTATION_ATTEMPTS; attempt++) {
      Architecture child = space.mutate(parent, rng);
      if (!taken.test(child)) {
        return child;
      }
    }
    return Sampling.sampleAvoiding(space, rng, taken);
  }

  private Architecture tournament(List<Scored> parents) {
    Scored best = null;
    for (int i = 0; i < config.sampleSize(); i++) {
      Scored candidate = parents.get(rng.nextInt(parents.size()));
      if (best == null || candidate.score() > best.score()) {
        best = candidate;
      }
    }
    return best.architecture();
  }

  @Override
  public void update(List<Scored> scored) {
    for (Scored s : scored) {
      population.addLast(s);
      if (population.size() > config.populationSize()) {
        population.removeFirst();
      }
      seen.add(s.architecture());
    }
  }

  @Override
  public byte[] snapshot() {
    return new SnapshotWriter(RegularizedEvolutionProvider.NAME, FORMAT, config)
        .writeRandom(rng)
        .writeScored(population)
        .toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in =
        new SnapshotReader(
            snapshot, RegularizedEvolutionProvider.NAME, FORMAT_WITH_SEEN, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    List<Scored> restoredPopulation = in.readScored(config.populationSize());
    if (in.format() == FORMAT_WITH_SEEN) {
      in.readArchitectures(Integer.MAX_VALUE); // the completed results say the same
    }
    in.finish();
    rng.setState(restoredRng.state());
    population.clear();
    population.addAll(restoredPopulation);
    seen = seenSets.get();
    completed.forEach(s -> seen.add(s.architecture()));
  }
}
