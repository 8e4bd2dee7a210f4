package io.nassearch.coordinator.dispatch;

/**
 * What the dispatcher knows of one worker (id and credential), across its reconnects; guarded by
 * the Dispatcher lock. A worker with a record of finishing (a valid result) is preferred and may
 * hold its whole credit window; one without holds one item at a time.
 */
final class WorkerRecord {
  final String key;
  final String workerId;
  long completed;
  long misses;
  int faults;
  long quarantinedUntilNanos;
  boolean quarantinedOnce;

  WorkerRecord(String key, String workerId) {
    this.key = key;
    this.workerId = workerId;
  }

  boolean proven() {
    return completed > 0;
  }

  boolean quarantined(long now) {
    return quarantinedOnce && now - quarantinedUntilNanos < 0;
  }
}
