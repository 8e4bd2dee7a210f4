package io.nassearch.coordinator.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One search's training and scoring jobs on the workers, so that cancelling the search or stopping
 * the coordinator withdraws them. Once withdrawn, new jobs are cancelled as they come. Thread-safe.
 */
final class OutstandingWork {
  private final List<CompletableFuture<?>> jobs = new ArrayList<>();
  private boolean withdrawn;

  <T> CompletableFuture<T> track(CompletableFuture<T> job) {
    boolean cancel;
    synchronized (jobs) {
      jobs.removeIf(CompletableFuture::isDone);
      jobs.add(job);
      cancel = withdrawn;
    }
    if (cancel) {
      job.cancel(false);
    }
    return job;
  }

  void withdraw() {
    List<CompletableFuture<?>> all;
    synchronized (jobs) {
      withdrawn = true;
      all = new ArrayList<>(jobs);
    }
    all.forEach(job -> job.cancel(false));
  }
}
