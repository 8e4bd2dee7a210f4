package io.nassearch.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoordinatorMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CoordinatorMetrics metrics = new CoordinatorMetrics(registry, 1);

  private static Search search(String id, SearchState state, long scored, long queries) {
    return Search.newBuilder()
        .setSearchId(id)
        .setSpec(SearchSpec.newBuilder().setAlgorithm("random").setCandidateBudget(100))
        .setState(state)
        .setProgress(
            SearchProgress.newBuilder()
                .setCandidateBudget(100)
                .setCandidatesScored(scored)
                .setGroundTruthQueries(queries)
                .setBestPredictedScore(0.75))
        .build();
  }

  private void runSearch(String id) {
    metrics.searchChanged(search(id, SearchState.SEARCH_STATE_PENDING, 0, 0));
    metrics.searchChanged(search(id, SearchState.SEARCH_STATE_TRAINING, 0, 20));
    metrics.searchChanged(search(id, SearchState.SEARCH_STATE_RUNNING, 0, 20));
    metrics.proposed(id, 60);
    metrics.searchChanged(search(id, SearchState.SEARCH_STATE_RUNNING, 50, 20));
    metrics.verified(
        id,
        List.of(
            Candidate.newBuilder().setTrueObjective(90.5).setObjectiveRegret(1.1).build(),
            Candidate.newBuilder().setTrueObjective(91.0).setObjectiveRegret(0.6).build()));
  }

  private void workerEvents() {
    metrics.workersChanged(2);
    metrics.creditsChanged("w1", 2);
    metrics.creditsChanged("w2", 1);
    metrics.dispatched(false, false);
    metrics.completed(false, 20, TimeUnit.SECONDS.toNanos(3), "w1");
    metrics.modelShipped("w2");
    metrics.dispatched(true, false);
    metrics.dispatched(true, true);
    metrics.redelivered();
    metrics.completed(true, 50, TimeUnit.MILLISECONDS.toNanos(12), "w2");
    metrics.duplicateDropped();
    metrics.queueChanged(3, 1);
  }

  @Test
  void everyDocumentedMeterIsRegisteredWithItsTagsAfterEvents() {
    workerEvents();
    runSearch("s1");
    for (CoordinatorMetricsDoc doc : CoordinatorMetricsDoc.values()) {
      List<Meter> meters = new java.util.ArrayList<>(registry.find(doc.metricName()).meters());
      assertFalse(meters.isEmpty(), doc.metricName());
      for (Meter m : meters) {
        assertEquals(doc.type(), m.getId().getType(), doc.metricName());
        for (CoordinatorMetricsDoc.Tag tag : doc.tags()) {
          assertNotNull(m.getId().getTag(tag.key()), doc.metricName() + " lacks tag " + tag.key());
        }
        assertEquals(
            doc.tags().size(),
            m.getId().getTags().size(),
            doc.metricName() + " tags " + m.getId().getTags());
      }
    }
  }

  @Test
  void prometheusNamesFollowTheConventions() {
    workerEvents();
    runSearch("s1");
    String text = registry.scrape();
    for (String line :
        List.of(
            "nas_candidates_scored_total{worker=\"w2\"} 50.0",
            "nas_candidates_proposed_total 60.0",
            "nas_ground_truth_queries_total 20.0",
            "nas_dispatcher_queue_depth 3.0",
            "nas_dispatcher_batches_in_flight 1.0",
            "nas_workers_connected 2.0",
            "nas_dispatcher_worker_credits{worker=\"w1\"} 2.0",
            "nas_dispatcher_batches_dispatched_total{kind=\"score\"} 2.0",
            "nas_dispatcher_batches_dispatched_total{kind=\"train\"} 1.0",
            "nas_dispatcher_redeliveries_total 1.0",
            "nas_dispatcher_duplicates_dropped_total 1.0",
            "nas_dispatcher_models_shipped_total 1.0",
            "nas_dispatcher_batch_round_trip_seconds_bucket{le=\"0.025\"} 1",
            "nas_training_duration_seconds_count 1",
            "nas_searches{state=\"running\"} 1.0",
            "nas_searches{state=\"pending\"} 0.0",
            "nas_search_candidates_scored_total{algorithm=\"random\",search=\"s1\"} 50.0",
            "nas_search_candidates_proposed_total{algorithm=\"random\",search=\"s1\"} 60.0",
            "nas_search_candidate_budget{algorithm=\"random\",search=\"s1\"} 100.0",
            "nas_search_progress_ratio{algorithm=\"random\",search=\"s1\"} 0.5",
            "nas_search_best_predicted_score{algorithm=\"random\",search=\"s1\"} 0.75",
            "nas_search_ground_truth_queries{algorithm=\"random\",search=\"s1\"} 20.0",
            "nas_search_best_true_objective{algorithm=\"random\",search=\"s1\"} 91.0",
            "nas_search_best_objective_regret{algorithm=\"random\",search=\"s1\"} 0.6")) {
      assertTrue(text.contains(line + "\n"), () -> "missing '" + line + "' in\n" + text);
    }
  }

  @Test
  void finishedSearchesKeepTheirMetersUntilNewerOnesFinishThenGo() {
    runSearch("s1");
    metrics.searchChanged(search("s1", SearchState.SEARCH_STATE_SUCCEEDED, 50, 30));
    assertNotNull(
        registry.find("nas.search.progress").tag("search", "s1").gauge(), "kept: newest finished");
    assertEquals(1.0, registry.get("nas.searches").tag("state", "succeeded").gauge().value());
    assertEquals(0.0, registry.get("nas.searches").tag("state", "running").gauge().value());
    assertEquals(30.0, registry.get("nas.ground.truth.queries").counter().count());

    runSearch("s2");
    metrics.searchChanged(search("s2", SearchState.SEARCH_STATE_FAILED, 50, 20));
    assertNull(
        registry.find("nas.search.progress").tag("search", "s1").gauge(), "s1 retired (retain 1)");
    assertTrue(
        registry.find("nas.search.candidates.scored").tag("search", "s1").meters().isEmpty());
    assertNotNull(registry.find("nas.search.progress").tag("search", "s2").gauge());
    assertEquals(1.0, registry.get("nas.searches").tag("state", "succeeded").gauge().value());
    assertEquals(1.0, registry.get("nas.searches").tag("state", "failed").gauge().value());
  }

  @Test
  void aLeavingWorkerTakesItsMetersAlong() {
    workerEvents();
    metrics.creditsChanged("w2", 0);
    metrics.workerLeft("w2");
    metrics.workersChanged(1);
    assertTrue(
        registry.find("nas.dispatcher.worker.credits").tag("worker", "w2").meters().isEmpty());
    assertTrue(registry.find("nas.candidates.scored").tag("worker", "w2").meters().isEmpty());
    assertNotNull(registry.find("nas.dispatcher.worker.credits").tag("worker", "w1").gauge());
    assertFalse(registry.scrape().contains("worker=\"w2\""));
  }

  @Test
  void perSearchMetersCanBeLeftOutSoNoSearchIdOrObjectiveIsExported() {
    PrometheusMeterRegistry quiet = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CoordinatorMetrics withoutSearches = new CoordinatorMetrics(quiet, 1, false);
    withoutSearches.searchChanged(search("s-secret", SearchState.SEARCH_STATE_RUNNING, 50, 20));
    withoutSearches.verified(
        "s-secret", List.of(Candidate.newBuilder().setTrueObjective(93.1).build()));
    String scrape = quiet.scrape();
    assertFalse(scrape.contains("s-secret"), scrape);
    assertFalse(scrape.contains("nas_search_best"), scrape);
    assertTrue(
        scrape.contains("nas_searches{state=\"running\"} 1.0")
            || scrape.contains("state=\"running\""),
        scrape);
    assertTrue(scrape.contains("nas_ground_truth_queries_total 20.0"), scrape);

    runSearch("s-open");
    assertTrue(registry.scrape().contains("search=\"s-open\""), "exported by default");
  }

  @Test
  void workerLiesAreCountedByKind() {
    metrics.forgeryDropped("score_result");
    metrics.forgeryDropped("failure");
    metrics.resultRejected("non_finite");
    metrics.deadlineMissed(true);
    metrics.workerQuarantined("w");
    metrics.backupDispatched();
    String scrape = registry.scrape();
    assertTrue(
        scrape.contains("nas_dispatcher_forgeries_total{message=\"score_result\"} 1.0"), scrape);
    assertTrue(
        scrape.contains("nas_dispatcher_forgeries_total{message=\"train_result\"} 0.0"),
        "every kind exported from the start");
    assertTrue(
        scrape.contains("nas_dispatcher_results_rejected_total{reason=\"non_finite\"} 1.0"),
        scrape);
    assertTrue(scrape.contains("nas_dispatcher_deadline_misses_total{kind=\"score\"} 1.0"), scrape);
    assertTrue(scrape.contains("nas_dispatcher_workers_quarantined_total 1.0"), scrape);
    assertTrue(scrape.contains("nas_dispatcher_backup_copies_total 1.0"), scrape);
  }
}
