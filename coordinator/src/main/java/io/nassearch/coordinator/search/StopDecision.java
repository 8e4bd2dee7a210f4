package io.nassearch.coordinator.search;

import io.nassearch.api.v1.Trial;

/** The answer to ReportMeasurement: why to stop (empty: go on), and the trial as recorded. */
public record StopDecision(String stopReason, Trial trial) {
  public boolean shouldStop() {
    return !stopReason.isEmpty();
  }
}
