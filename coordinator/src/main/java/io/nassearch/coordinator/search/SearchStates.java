package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchState;

/** What a search's state means, in one place. */
public final class SearchStates {
  private SearchStates() {}

  /** SUCCEEDED, CANCELLED and FAILED: nothing changes a search in these states. */
  public static boolean isTerminal(SearchState state) {
    return state == SearchState.SEARCH_STATE_SUCCEEDED
        || state == SearchState.SEARCH_STATE_CANCELLED
        || state == SearchState.SEARCH_STATE_FAILED;
  }

  /** The state as users read it, e.g. {@code SUCCEEDED}. */
  static String name(Search search) {
    return search.getState().name().replace("SEARCH_STATE_", "");
  }
}
