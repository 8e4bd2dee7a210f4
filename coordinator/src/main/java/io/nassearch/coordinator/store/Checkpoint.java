package io.nassearch.coordinator.store;

import java.util.List;

/**
 * What a search needs to continue after a coordinator restart: the algorithm state after the last
 * completed round, every candidate scored up to then in the order they were scored, and the trial
 * records appended up to then, in order.
 */
public record Checkpoint(
    byte[] algorithmState, List<ScoredCandidate> candidates, List<byte[]> trialRecords) {
  public Checkpoint {
    algorithmState = algorithmState.clone();
    candidates = List.copyOf(candidates);
    trialRecords = trialRecords.stream().map(byte[]::clone).toList();
  }

  /** A checkpoint without trial records. */
  public Checkpoint(byte[] algorithmState, List<ScoredCandidate> candidates) {
    this(algorithmState, candidates, List.of());
  }

  @Override
  public byte[] algorithmState() {
    return algorithmState.clone();
  }

  @Override
  public List<byte[]> trialRecords() {
    return trialRecords.stream().map(byte[]::clone).toList();
  }
}
