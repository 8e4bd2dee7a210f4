package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Search;
import java.util.List;

/**
 * Search events for metrics; called on the search's runner thread, so implementations must be
 * cheap.
 */
public interface SearchListener {
  SearchListener NONE = new SearchListener() {};

  /** The search's state or progress changed; {@code search} is the new stored value. */
  default void searchChanged(Search search) {}

  /** The algorithm proposed {@code count} architectures (repeats included) in one round. */
  default void proposed(String searchId, int count) {}

  /** The top-k by predicted score were checked against the benchmark table, best first. */
  default void verified(String searchId, List<Candidate> ranked) {}
}
