package io.nassearch.worker.metrics;

import static io.nassearch.worker.metrics.WorkerMetricsDoc.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nassearch.worker.stream.WorkerListener;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The worker's meters, fed by {@link WorkerListener} events; documented in {@link
 * WorkerMetricsDoc}. The registry is injected; {@link #commonTags} puts role, worker id and device
 * on every meter of it.
 */
@ThreadSafe
public final class WorkerMetrics implements WorkerListener {
  private final Counter batches;
  private final Counter candidates;
  private final Timer batchScore;
  private final DistributionSummary batchSize;
  private final Timer training;
  private final Counter modelsLoaded;
  private final Counter reconnects;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger creditWindow = new AtomicInteger();

  public WorkerMetrics(MeterRegistry registry) {
    batches = counter(registry, BATCHES_SCORED);
    candidates = counter(registry, CANDIDATES_SCORED);
    batchScore =
        Timer.builder(BATCH_SCORE.metricName())
            .description(BATCH_SCORE.description())
            .serviceLevelObjectives(
                ms(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000))
            .register(registry);
    batchSize =
        DistributionSummary.builder(BATCH_SIZE.metricName())
            .description(BATCH_SIZE.description())
            .serviceLevelObjectives(1, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16_384, 65_536)
            .register(registry);
    training =
        Timer.builder(TRAINING_DURATION.metricName())
            .description(TRAINING_DURATION.description())
            .serviceLevelObjectives(
                ms(
                    500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000,
                    1_800_000))
            .register(registry);
    modelsLoaded = counter(registry, MODELS_LOADED);
    reconnects = counter(registry, RECONNECTS);
    Gauge.builder(CONNECTED.metricName(), connected, AtomicInteger::get)
        .description(CONNECTED.description())
        .strongReference(true)
        .register(registry);
    Gauge.builder(CREDIT_WINDOW.metricName(), creditWindow, AtomicInteger::get)
        .description(CREDIT_WINDOW.description())
        .strongReference(true)
        .register(registry);
  }

  /**
   * Puts {@code role=worker}, {@code worker=<id>} and {@code device=cpu|gpu} on every meter
   * registered afterwards; call before anything is registered.
   */
  public static void commonTags(MeterRegistry registry, String workerId, String device) {
    registry
        .config()
        .commonTags(
            Tag.ROLE.key(),
            "worker",
            Tag.WORKER.key(),
            workerId,
            Tag.DEVICE.key(),
            deviceKind(device));
  }

  /** "gpu" for device descriptions like {@code gpu} or {@code gpu:NVIDIA H100}, else "cpu". */
  public static String deviceKind(String device) {
    return device != null && device.toLowerCase(Locale.ROOT).startsWith("gpu") ? "gpu" : "cpu";
  }

  @Override
  public void connected() {
    connected.set(1);
  }

  @Override
  public void disconnected() {
    connected.set(0);
  }

  @Override
  public void reconnecting() {
    reconnects.increment();
  }

  @Override
  public void modelLoaded() {
    modelsLoaded.increment();
  }

  @Override
  public void creditWindow(int credits) {
    creditWindow.set(credits);
  }

  @Override
  public void batchScored(int rows, long nanos) {
    batches.increment();
    candidates.increment(rows);
    batchScore.record(nanos, TimeUnit.NANOSECONDS);
    batchSize.record(rows);
  }

  @Override
  public void trained(long nanos) {
    training.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Counter counter(MeterRegistry registry, WorkerMetricsDoc doc) {
    return Counter.builder(doc.metricName()).description(doc.description()).register(registry);
  }

  private static Duration[] ms(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos((long) (values[i] * 1e6));
    }
    return out;
  }
}
