package io.nassearch.coordinator.metrics;

import static io.nassearch.coordinator.metrics.CoordinatorMetricsDoc.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.dispatch.DispatchListener;
import io.nassearch.coordinator.search.SearchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The coordinator's meters, fed by dispatcher and search events. Meters are documented in {@link
 * CoordinatorMetricsDoc}. The registry is injected; nothing here is static.
 *
 * <p>Per-worker meters go when the worker leaves. Per-search meters (unless turned off) stay while
 * the search runs and for the {@code retainFinished} most recently finished searches (so dashboards
 * show final values), then go: the {@code search} tag has at most {@code maxConcurrentSearches +
 * retainFinished} values.
 */
@ThreadSafe
public final class CoordinatorMetrics implements DispatchListener, SearchListener {
  private static final Duration[] ROUND_TRIP_BUCKETS =
      seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
  private static final Duration[] TRAINING_BUCKETS =
      seconds(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800);

  private final MeterRegistry registry;
  private final AtomicInteger queueDepth = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger workersConnected = new AtomicInteger();
  private final Map<String, WorkerMeters> workers = new ConcurrentHashMap<>();
  private final Counter dispatchedScore;
  private final Counter dispatchedTrain;
  private final Timer roundTrip;
  private final Timer training;
  private final Counter redeliveries;
  private final Counter duplicates;
  private final Counter modelsShipped;
  private final Map<String, Counter> forgeries = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejectedResults = new ConcurrentHashMap<>();
  private final Counter missedScore;
  private final Counter missedTrain;
  private final Counter quarantined;
  private final Counter backupCopies;
  private final SearchMetrics searches;

  /** A coordinator with no metrics (its meters go nowhere). */
  public static CoordinatorMetrics none() {
    return new CoordinatorMetrics(new CompositeMeterRegistry(), 1);
  }

  public CoordinatorMetrics(MeterRegistry registry, int retainFinished) {
    this(registry, retainFinished, true);
  }

  /**
   * @param perSearch whether to register per-search meters (tagged with search ids, with each
   *     search's progress and best scores); off where clients must not read each other's searches
   *     through {@code /metrics}
   */
  public CoordinatorMetrics(MeterRegistry registry, int retainFinished, boolean perSearch) {
    this.registry = registry;
    gauge(QUEUE_DEPTH, Tags.empty(), queueDepth);
    gauge(IN_FLIGHT, Tags.empty(), inFlight);
    gauge(WORKERS_CONNECTED, Tags.empty(), workersConnected);
    dispatchedScore = counter(DISPATCHED, Tags.of(Tag.KIND.key(), "score"));
    dispatchedTrain = counter(DISPATCHED, Tags.of(Tag.KIND.key(), "train"));
    roundTrip = timer(ROUND_TRIP, ROUND_TRIP_BUCKETS);
    training = timer(TRAINING_DURATION, TRAINING_BUCKETS);
    redeliveries = counter(REDELIVERIES, Tags.empty());
    duplicates = counter(DUPLICATES_DROPPED, Tags.empty());
    modelsShipped = counter(MODELS_SHIPPED, Tags.empty());
    for (String m :
        List.of(
            DispatchListener.SCORE_RESULT,
            DispatchListener.TRAIN_RESULT,
            DispatchListener.FAILURE)) {
      forgeries.put(m, counter(FORGERIES, Tags.of(Tag.MESSAGE.key(), m)));
    }
    for (String r :
        List.of(
            DispatchListener.LENGTH,
            DispatchListener.WRONG_KIND,
            DispatchListener.NON_FINITE,
            DispatchListener.MAGNITUDE,
            DispatchListener.MODEL_FORMAT,
            DispatchListener.MODEL_PROBE)) {
      rejectedResults.put(r, counter(RESULTS_REJECTED, Tags.of(Tag.REASON.key(), r)));
    }
    missedScore = counter(DEADLINE_MISSES, Tags.of(Tag.KIND.key(), "score"));
    missedTrain = counter(DEADLINE_MISSES, Tags.of(Tag.KIND.key(), "train"));
    quarantined = counter(WORKERS_QUARANTINED, Tags.empty());
    backupCopies = counter(BACKUP_COPIES, Tags.empty());
    searches = new SearchMetrics(registry, Math.max(1, retainFinished), perSearch);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The gRPC server interceptor that times every RPC by service, method and status code. */
  public MetricCollectingServerInterceptor grpcInterceptor() {
    return new MetricCollectingServerInterceptor(registry);
  }

  // ---- dispatcher events (under the dispatcher lock: cheap only) ----

  @Override
  public void queueChanged(int queued, int inFlightNow) {
    queueDepth.set(queued);
    inFlight.set(inFlightNow);
  }

  @Override
  public void workersChanged(int connected) {
    workersConnected.set(connected);
  }

  @Override
  public void creditsChanged(String workerId, int credits) {
    worker(workerId).credits.set(credits);
  }

  @Override
  public void workerLeft(String workerId) {
    WorkerMeters w = workers.remove(workerId);
    if (w != null) {
      w.meters.forEach(registry::remove);
    }
  }

  @Override
  public void dispatched(boolean score, boolean redelivery) {
    (score ? dispatchedScore : dispatchedTrain).increment();
  }

  @Override
  public void completed(boolean score, int rows, long roundTripNanos, String workerId) {
    if (score) {
      roundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
      worker(workerId).scored.increment(rows);
    } else {
      training.record(roundTripNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void redelivered() {
    redeliveries.increment();
  }

  @Override
  public void duplicateDropped() {
    duplicates.increment();
  }

  @Override
  public void modelShipped(String workerId) {
    modelsShipped.increment();
  }

  @Override
  public void forgeryDropped(String message) {
    Counter c = forgeries.get(message);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void resultRejected(String reason) {
    Counter c = rejectedResults.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void deadlineMissed(boolean score) {
    (score ? missedScore : missedTrain).increment();
  }

  @Override
  public void workerQuarantined(String workerId) {
    quarantined.increment();
  }

  @Override
  public void backupDispatched() {
    backupCopies.increment();
  }

  // ---- search events ----

  @Override
  public void searchChanged(Search search) {
    searches.searchChanged(search);
  }

  @Override
  public void proposed(String searchId, int count) {
    searches.proposed(searchId, count);
  }

  @Override
  public void verified(String searchId, List<Candidate> ranked) {
    searches.verified(searchId, ranked);
  }

  // ---- meters ----

  private WorkerMeters worker(String workerId) {
    return workers.computeIfAbsent(workerId, WorkerMeters::new);
  }

  private final class WorkerMeters {
    final AtomicInteger credits = new AtomicInteger();
    final Counter scored;
    final List<Meter> meters = new ArrayList<>();

    WorkerMeters(String workerId) {
      Tags tags = Tags.of(Tag.WORKER.key(), workerId);
      meters.add(gauge(WORKER_CREDITS, tags, credits));
      scored = counter(CANDIDATES_SCORED, tags);
      meters.add(scored);
    }
  }

  private Gauge gauge(CoordinatorMetricsDoc doc, Tags tags, AtomicInteger value) {
    return Meters.gauge(registry, doc, tags, value);
  }

  private Counter counter(CoordinatorMetricsDoc doc, Tags tags) {
    return Meters.counter(registry, doc, tags);
  }

  private Timer timer(CoordinatorMetricsDoc doc, Duration[] buckets) {
    return Timer.builder(doc.metricName())
        .description(doc.description())
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  static String stateName(SearchState s) {
    return s.name().replace("SEARCH_STATE_", "").toLowerCase(Locale.ROOT);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos((long) (values[i] * 1e9));
    }
    return out;
  }
}
