package io.nassearch.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nassearch.worker.stream.WorkerListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private WorkerMetrics events() {
    WorkerMetrics.commonTags(registry, "w-1", "gpu:NVIDIA H100");
    WorkerMetrics metrics = new WorkerMetrics(registry);
    metrics.connected();
    metrics.trained(TimeUnit.SECONDS.toNanos(4));
    metrics.modelLoaded();
    metrics.batchScored(100, TimeUnit.MILLISECONDS.toNanos(3));
    metrics.batchScored(28, TimeUnit.MILLISECONDS.toNanos(7));
    metrics.disconnected();
    metrics.reconnecting();
    return metrics;
  }

  @Test
  void everyDocumentedMeterCarriesTheCommonTags() {
    events();
    for (WorkerMetricsDoc doc : WorkerMetricsDoc.values()) {
      List<Meter> meters = new java.util.ArrayList<>(registry.find(doc.metricName()).meters());
      assertEquals(1, meters.size(), doc.metricName());
      Meter m = meters.get(0);
      assertEquals(doc.type(), m.getId().getType(), doc.metricName());
      for (WorkerMetricsDoc.Tag tag : doc.tags()) {
        assertTrue(m.getId().getTag(tag.key()) != null, doc.metricName() + " lacks " + tag.key());
      }
    }
  }

  @Test
  void prometheusNamesAndValues() {
    events();
    String text = registry.scrape();
    String tags = "{device=\"gpu\",role=\"worker\",worker=\"w-1\"}";
    for (String line :
        List.of(
            "nas_worker_batches_scored_total" + tags + " 2.0",
            "nas_worker_candidates_scored_total" + tags + " 128.0",
            "nas_worker_models_loaded_total" + tags + " 1.0",
            "nas_worker_reconnects_total" + tags + " 1.0",
            "nas_worker_connected" + tags + " 0.0",
            "nas_worker_batch_score_seconds_count" + tags + " 2",
            "nas_worker_batch_size_sum" + tags + " 128.0",
            "nas_worker_training_duration_seconds_sum" + tags + " 4.0")) {
      assertTrue(text.contains(line + "\n"), () -> "missing '" + line + "' in\n" + text);
    }
    assertTrue(
        text.contains(
            "nas_worker_batch_size_bucket{device=\"gpu\",role=\"worker\",worker=\"w-1\",le=\"32.0\"} 1\n"),
        text);
    assertTrue(
        text.contains(
            "nas_worker_batch_score_seconds_bucket{device=\"gpu\",role=\"worker\",worker=\"w-1\",le=\"0.005\"} 1\n"),
        text);
  }

  @Test
  void deviceTagIsCpuOrGpu() {
    assertEquals("cpu", WorkerMetrics.deviceKind("cpu"));
    assertEquals("cpu", WorkerMetrics.deviceKind(null));
    assertEquals("gpu", WorkerMetrics.deviceKind("GPU:0"));
  }

  @Test
  void andThenTellsBothListeners() {
    AtomicInteger seen = new AtomicInteger();
    WorkerListener counting =
        new WorkerListener() {
          @Override
          public void batchScored(int rows, long nanos) {
            seen.addAndGet(rows);
          }
        };
    WorkerMetrics metrics = new WorkerMetrics(registry);
    counting.andThen(metrics).batchScored(5, 1);
    assertEquals(5, seen.get());
    assertEquals(5.0, registry.get("nas.worker.candidates.scored").counter().count());
    assertFalse(registry.scrape().isEmpty());
  }
}
