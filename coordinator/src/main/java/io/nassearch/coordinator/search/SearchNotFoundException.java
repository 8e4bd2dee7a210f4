package io.nassearch.coordinator.search;

/** No search with the given id; maps to NOT_FOUND. */
public final class SearchNotFoundException extends RuntimeException {
  public SearchNotFoundException(String searchId) {
    super("No search '" + searchId + "'");
  }
}
