package io.nassearch.coordinator.search;

import io.nassearch.coordinator.store.StoreException;

/** What the search layer does about store faults beyond pausing (see {@link SearchRecord}). */
final class Stores {
  private Stores() {}

  /** No new search while the store refuses writes: it could not be kept. */
  static void refuseNewWork(StoreException why) {
    throw new StoreException(
        why.fault(), "No new searches until the store takes writes: " + why.getMessage(), null);
  }
}
