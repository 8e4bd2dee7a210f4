package io.nassearch.coordinator.search;

/** Drives one search on a thread of its own until it ends, is cancelled, or the coordinator stops. */
interface Runner {
  /** Runs the search to its end (or until {@link #cancel} / {@link #stop}) on the calling thread. */
  void run();

  /** Ends the search at the next opportunity in state CANCELLED; outstanding work is withdrawn. */
  void cancel();

  /** Pauses for a coordinator shutdown: the stored state stays unfinished and resumes on restart. */
  void stop();

  /** The search as last stored: the runner is its only writer while it runs, so this spares a store read. */
  io.nassearch.api.v1.Search current();
}
