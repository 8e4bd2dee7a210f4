package io.nassearch.coordinator.store;

import java.util.List;

/**
 * What a search needs to continue after a coordinator restart: the algorithm state after the last
 * completed round and every candidate scored up to then, in the order they were scored.
 */
public record Checkpoint(byte[] algorithmState, List<ScoredCandidate> candidates) {
  public Checkpoint {
    algorithmState = algorithmState.clone();
    candidates = List.copyOf(candidates);
  }

  @Override
  public byte[] algorithmState() {
    return algorithmState.clone();
  }
}
