package io.nassearch.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/** Registers documented meters. */
final class Meters {
  private Meters() {}

  static Gauge gauge(
      MeterRegistry registry, CoordinatorMetricsDoc doc, Tags tags, AtomicInteger value) {
    return Gauge.builder(doc.metricName(), value, AtomicInteger::get)
        .description(doc.description())
        .baseUnit(doc.baseUnit())
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  static Counter counter(MeterRegistry registry, CoordinatorMetricsDoc doc, Tags tags) {
    return Counter.builder(doc.metricName())
        .description(doc.description())
        .tags(tags)
        .register(registry);
  }
}
