package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.SearchSpace;

/**
 * A designer over one space, with its validated settings and a generator seeded once: its draws
 * depend on the seed and on what it was told, never on time or threads.
 */
public abstract class SeededDesigner<C extends AlgorithmConfig> implements Designer {
  protected final SearchSpace space;
  protected final C config;
  protected final Xoshiro256 rng;

  protected SeededDesigner(SearchSpace space, C config, long seed) {
    this.space = space;
    this.config = config;
    this.rng = new Xoshiro256(seed);
  }
}
