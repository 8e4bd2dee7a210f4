package io.nassearch.coordinator.algorithm.evolution;

import io.nassearch.coordinator.algorithm.Sampling;
import io.nassearch.coordinator.algorithm.Scored;
import io.nassearch.coordinator.algorithm.SeededDesigner;
import io.nassearch.coordinator.algorithm.SnapshotReader;
import io.nassearch.coordinator.algorithm.SnapshotWriter;
import io.nassearch.coordinator.algorithm.Xoshiro256;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.SearchSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * random unseen architecture; the paper simply re-evaluates such children. {@link #suggest}
 * advances the generator and nothing else; {@link #update} updates the population and the set of
 * seen architectures.
 *
 * <p>Not thread-safe: one search loop drives an instance from one thread.
 */
public final class RegularizedEvolution
    extends SeededDesigner<RegularizedEvolutionProvider.Config> {
  private static final int FORMAT = 1;
  private static final int MUTATION_ATTEMPTS = 8;

  private final Deque<Scored> population = new ArrayDeque<>();
  private final Set<Architecture> seen = new LinkedHashSet<>();

  RegularizedEvolution(SearchSpace space, RegularizedEvolutionProvider.Config config, long seed) {
    super(space, config, seed);
  }

  @Override
  public List<Architecture> suggest(int n, Set<Architecture> pending) {
    Sampling.requirePositive(n);
    List<Scored> parents = new ArrayList<>(population);
    int randomSlots = parents.isEmpty() ? n : Math.max(0, config.populationSize() - parents.size());
    List<Architecture> out = new ArrayList<>(n);
    Set<Architecture> batch = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      Architecture a =
          i < randomSlots
              ? Sampling.sampleAvoiding(space, rng, seen, batch)
              : child(parents, batch);
      batch.add(a);
      out.add(a);
    }
    return out;
  }

  private Architecture child(List<Scored> parents, Set<Architecture> batch) {
    Architecture parent = tournament(parents);
    for (int attempt = 0; attempt < MUTATION_ATTEMPTS; attempt++) {
      Architecture child = space.mutate(parent, rng);
      if (!seen.contains(child) && !batch.contains(child)) {
        return child;
      }
    }
    return Sampling.sampleAvoiding(space, rng, seen, batch);
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
      space.validate(s.architecture());
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
        .writeArchitectures(seen)
        .toByteArray();
  }

  @Override
  public void restore(byte[] snapshot, List<Scored> completed) {
    SnapshotReader in =
        new SnapshotReader(snapshot, RegularizedEvolutionProvider.NAME, FORMAT, config, space);
    Xoshiro256 restoredRng = in.readRandom();
    List<Scored> restoredPopulation = in.readScored(config.populationSize());
    List<Architecture> restoredSeen = in.readArchitectures(Integer.MAX_VALUE);
    in.finish();
    rng.setState(restoredRng.state());
    population.clear();
    population.addAll(restoredPopulation);
    seen.clear();
    seen.addAll(restoredSeen);
  }
}
