package io.nassearch.client.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import io.nassearch.client.SearchState;
import io.nassearch.coordinator.config.CoordinatorConfig;
import io.nassearch.coordinator.dispatch.DispatchConfig;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #18's acceptance: a real coordinator on Netty loopback, one real TensorFlow worker, and
 * hostile workers written from the proto that send wrong lengths, NaN/inf/1e30, forged results and
 * failures for work others hold, garbage models, hold training without progress, fill every
 * connection slot but one, and squat the real worker's id. The search must succeed with the top 10
 * of a clean run of the same seed, and the lies must show in the metrics.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileWorkersIT {
  private static final int MAX_WORKERS = 256;

  private static CoordinatorConfig config() {
    // Short floors so the test does not wait minutes for silent workers' deadlines; the rules are
    // the defaults'.
    return LocalCluster.testConfig()
        .withDispatch(
            DispatchConfig.defaults()
                .withScoreDeadline(Duration.ofSeconds(2))
                .withTrainDeadline(Duration.ofSeconds(8)));
  }

  private static SearchRequest request() {
    return AbstractSearchEndToEndIT.smallSearch(18).build();
  }

  @Test
  void searchesSucceedWithTheCleanTopTenWhateverHostileWorkersDo() throws Exception {
    List<String> clean;
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Transport.NETTY, 1, config())) {
      Search done = AbstractSearchEndToEndIT.run(cluster.client(), request(), e -> {});
      assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
      clean = AbstractSearchEndToEndIT.describe(cluster.client().results(done.id(), 10));
    }

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LocalCluster cluster =
        new LocalCluster(
            LocalCluster.Transport.NETTY, 0, config(), new CoordinatorMetrics(registry, 16))) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", cluster.coordinator().port())
              .usePlaintext()
              .build();
      try {
        List<HostileWorker> hostile = new ArrayList<>();
        HostileWorker squatter =
            new HostileWorker(
                "it-worker-0", HostileWorker.Behaviour.HOLDS_WORK, 0); // the real worker's id
        hostile.add(squatter);
        HostileWorker accomplice =
            new HostileWorker("accomplice", HostileWorker.Behaviour.HOLDS_WORK, 1);
        hostile.add(accomplice);
        int seed = 2;
        for (HostileWorker.Behaviour b :
            List.of(
                HostileWorker.Behaviour.WRONG_LENGTH,
                HostileWorker.Behaviour.NON_FINITE,
                HostileWorker.Behaviour.FAILS_EVERYTHING,
                HostileWorker.Behaviour.GARBAGE_MODEL,
                HostileWorker.Behaviour.HOLDS_WORK)) {
          hostile.add(new HostileWorker(b.name().toLowerCase(), b, seed++));
        }
        int forgers = 3;
        // Every slot but the forgers' and the one the real worker takes over from the squatter.
        while (hostile.size() < MAX_WORKERS - forgers) {
          int i = hostile.size();
          hostile.add(
              new HostileWorker(
                  "silent-" + i,
                  i % 2 == 0 ? HostileWorker.Behaviour.SILENT : HostileWorker.Behaviour.HOLDS_WORK,
                  i));
        }
        for (HostileWorker h : hostile) {
          h.connect(channel);
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> hostile.stream().allMatch(h -> h.welcomed));

        cluster
            .addWorker(); // "it-worker-0", with the same (no) credential as the squatter: it takes
        // the id over
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> squatter.ended != null && cluster.workers().get(0).isConnected());
        assertEquals(Status.Code.ABORTED, squatter.ended.getCode());

        Search created = cluster.client().createSearch(request());
        List<HostileWorker> forging = new ArrayList<>();
        for (int i = 0; i < forgers; i++) {
          HostileWorker forger =
              new HostileWorker("forger-" + i, HostileWorker.Behaviour.SILENT, 100 + i)
                  .connect(channel);
          forging.add(forger);
          await().until(() -> forger.welcomed && !accomplice.workIds.isEmpty());
          List<String> ids = new ArrayList<>(accomplice.workIds);
          ids.add("b-" + (i + 1)); // the old sequential ids
          forger.forge(ids);
        }
        Search done =
            cluster.client().awaitCompletion(created.id(), Duration.ofMinutes(3), e -> {});

        assertEquals(SearchState.SUCCEEDED, done.state(), done.error());
        assertEquals(
            clean,
            AbstractSearchEndToEndIT.describe(cluster.client().results(done.id(), 10)),
            "the clean run's top 10");
        assertEquals(600, done.progress().candidatesScored());
        assertTrue(
            forging.stream()
                .allMatch(
                    f -> f.ended != null && f.ended.getCode() == Status.Code.PERMISSION_DENIED),
            "forgers quarantined");
        assertTrue(
            count(registry, "nas.dispatcher.forgeries", "message", "score_result") >= forgers);
        assertTrue(count(registry, "nas.dispatcher.forgeries", "message", "failure") >= forgers);
        assertTrue(
            count(registry, "nas.dispatcher.results.rejected", "reason", "model_format") >= 1);
        assertTrue(
            count(registry, "nas.dispatcher.results.rejected", "reason", "length")
                    + count(registry, "nas.dispatcher.results.rejected", "reason", "wrong_kind")
                >= 1);
        assertTrue(registry.get("nas.dispatcher.workers.quarantined").counter().count() >= forgers);
        System.out.printf(
            "hostile run: forgeries %.0f score + %.0f failure + %.0f train, rejected %s, quarantined %.0f,"
                + " deadline misses %.0f, backup copies %.0f%n",
            count(registry, "nas.dispatcher.forgeries", "message", "score_result"),
            count(registry, "nas.dispatcher.forgeries", "message", "failure"),
            count(registry, "nas.dispatcher.forgeries", "message", "train_result"),
            rejected(registry),
            registry.get("nas.dispatcher.workers.quarantined").counter().count(),
            registry.find("nas.dispatcher.deadline.misses").counters().stream()
                .mapToDouble(c -> c.count())
                .sum(),
            registry.get("nas.dispatcher.backup.copies").counter().count());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static double count(SimpleMeterRegistry registry, String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static String rejected(SimpleMeterRegistry registry) {
    StringBuilder out = new StringBuilder();
    registry
        .find("nas.dispatcher.results.rejected")
        .counters()
        .forEach(
            c ->
                out.append(c.getId().getTag("reason"))
                    .append('=')
                    .append((long) c.count())
                    .append(' '));
    return out.toString().trim();
  }
}
