package io.nassearch.client;

import java.util.List;
import java.util.Objects;

/**
 * One page of {@link NasClient#listSearches(int, String)}, newest first.
 *
 * @param nextPageToken token for the next page; empty on the last page
 */
public record SearchPage(List<Search> searches, String nextPageToken) {

  public SearchPage {
    searches = List.copyOf(searches);
    nextPageToken = Objects.requireNonNullElse(nextPageToken, "");
  }

  public boolean hasNextPage() {
    return !nextPageToken.isEmpty();
  }
}
