package io.nassearch.coordinator.search;

import io.nassearch.api.v1.SearchProgress;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.util.List;
import java.util.function.Consumer;

/** Where a search's evaluators store their progress: the runner, in one transaction per call. */
interface Checkpoints {
  /**
   * Stores new results, the trial book with the designer's snapshot, and the search with updated
   * progress.
   */
  void checkpoint(
      List<ScoredCandidate> newResults, Consumer<SearchProgress.Builder> progress, String message);
}
