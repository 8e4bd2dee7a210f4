package io.nassearch.coordinator.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.server.WorkerServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sequences of workers joining, leaving, crashing, granting credits and answering.
 * Invariants checked as it runs: no worker ever holds more batches than it granted credits; in the
 * end every batch completed exactly once with the right scores.
 */
class DispatcherRandomizedTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyBatchCompletesOnceWhateverWorkersDo(long seed) throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    ModelRegistry models = new ModelRegistry();
    models.put("m", new byte[] {0});
    Dispatcher dispatcher =
        new Dispatcher(DispatchConfig.defaults(), models, DispatchListener.NONE);
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .addService(new WorkerServiceImpl(dispatcher, 64))
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      int batches = 60;
      List<float[]> inputs = new ArrayList<>();
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < batches; i++) {
        float[] f = {i, rng.nextInt(100)};
        inputs.add(f);
        futures.add(dispatcher.score("m", 1, 2, f));
      }
      List<ScriptedWorker> live = new ArrayList<>();
      int nextId = 0;
      int steps = 0;
      while (futures.stream().anyMatch(f -> !f.isDone())) {
        assertTrue(steps++ < 5000, "made no progress");
        int action = rng.nextInt(10);
        if (live.isEmpty() || action == 0) {
          ScriptedWorker w = new ScriptedWorker("w" + nextId++).connect(channel, 10);
          await().until(() -> w.welcomed);
          w.grant(1 + rng.nextInt(4));
          live.add(w);
        } else if (action == 1 && live.size() > 1) {
          ScriptedWorker w = live.remove(rng.nextInt(live.size()));
          if (rng.nextBoolean()) {
            w.crash();
          } else {
            w.leave();
          }
        } else if (action <= 4) {
          live.get(rng.nextInt(live.size())).grant(1);
        } else {
          live.get(rng.nextInt(live.size())).answerAll();
        }
        // Each step completes before the next, so the run depends on the seed alone, not on timing.
        await()
            .atMost(Duration.ofSeconds(5))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .until(() -> settled(dispatcher.snapshot(), live));
        for (ScriptedWorker w : live) {
          assertTrue(
              w.received.size() <= w.granted, "worker " + w.id + " got more batches than credits");
        }
      }
      for (int i = 0; i < batches; i++) {
        assertArrayEquals(
            new float[] {inputs.get(i)[0] + inputs.get(i)[1]},
            futures.get(i).get(5, TimeUnit.SECONDS));
      }
      for (ScriptedWorker w : live) {
        w.leave();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.snapshot().workers().isEmpty());
    } finally {
      dispatcher.close();
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  /**
   * The dispatcher has seen everything the live workers sent and they have everything it sent:
   * exactly these workers, every grant counted, every batch sent arrived, every answer applied, and
   * no credit left unused while work waits, except by a worker without a record of valid results,
   * which holds one item at a time (dispatch README).
   */
  private static boolean settled(Dispatcher.Snapshot snapshot, List<ScriptedWorker> live) {
    if (snapshot.workers().size() != live.size()) {
      return false;
    }
    for (ScriptedWorker w : live) {
      Dispatcher.WorkerView v =
          snapshot.workers().stream()
              .filter(x -> x.workerId().equals(w.id))
              .findFirst()
              .orElse(null);
      if (v == null
          || v.credits() != w.granted - w.received.size()
          || v.inFlight() != w.heldCount()
          || v.credits() > 0 && snapshot.queued() > 0 && (v.hasRecord() || v.inFlight() == 0)) {
        return false;
      }
    }
    return true;
  }
}
