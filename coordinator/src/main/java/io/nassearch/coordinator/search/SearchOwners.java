package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Search;
import io.nassearch.coordinator.store.SearchStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns which search. A viewer sees only the searches it created; another's search is NOT_FOUND
 * to it, exactly as a search that does not exist, so that existence does not leak. An empty viewer
 * (admin, or no auth at all) sees every search. Owners are stored with the search and never change,
 * so they are cached.
 */
public final class SearchOwners {
  private final SearchStore store;
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  SearchOwners(SearchStore store) {
    this.store = store;
  }

  /** Throws {@link SearchNotFoundException} unless {@code viewer} may see the search. */
  public void check(String searchId, Optional<String> viewer) {
    if (viewer.isEmpty()) {
      return;
    }
    String owner = owners.get(searchId);
    if (owner == null) {
      owner = store.owner(searchId).orElseThrow(() -> new SearchNotFoundException(searchId));
      owners.put(searchId, owner);
    }
    if (!owner.equals(viewer.get())) {
      throw new SearchNotFoundException(searchId);
    }
  }

  /** The searches {@code viewer} may see, newest first. */
  public List<Search> list(Optional<String> viewer) {
    return viewer.isEmpty() ? store.list() : store.list(viewer.get());
  }
}
