package io.nassearch.coordinator.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nassearch.api.auth.BearerToken;
import io.nassearch.api.v1.Hello;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.coordinator.metrics.CoordinatorMetrics;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.server.WorkerServiceImpl;
import io.nassearch.coordinator.server.security.WorkerCredential;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers that lie, forge, stall or squat, scripted over the real Connect stream: none of them may
 * make work fail or count a wrong answer while an honest worker is connected, and each lie is
 * counted.
 */
class HostileWorkersTest {
  private Server server;
  private ManagedChannel channel;
  private Dispatcher dispatcher;
  private SimpleMeterRegistry registry;
  private ModelRegistry models;

  private void start(DispatchConfig config) throws Exception {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    models = new ModelRegistry();
    models.put("m1", new byte[] {1, 2, 3});
    registry = new SimpleMeterRegistry();
    dispatcher = new Dispatcher(config, models, new CoordinatorMetrics(registry, 1));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new WorkerServiceImpl(dispatcher, 300), new WorkerCredential()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    Awaitility.reset();
    if (dispatcher == null) {
      return;
    }
    dispatcher.close();
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private ScriptedWorker connected(String id, int credits) {
    ScriptedWorker w = new ScriptedWorker(id).connect(channel, 1000);
    await().until(() -> w.welcomed || w.error != null);
    if (credits > 0) {
      w.grant(credits);
    }
    return w;
  }

  /**
   * Honest workers with a record of finishing (each scored one batch, alone with a credit), then
   * given {@code credits} credits each.
   */
  private List<ScriptedWorker> honest(int credits, String... ids) throws Exception {
    List<ScriptedWorker> out = new ArrayList<>();
    for (String id : ids) {
      ScriptedWorker w = connected(id, 1);
      CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {0});
      await().until(() -> w.heldCount() == 1);
      w.answerHeld(false);
      f.get(5, TimeUnit.SECONDS);
      out.add(w);
    }
    for (ScriptedWorker w : out) {
      if (credits > 0) {
        w.grant(credits);
      }
    }
    return out;
  }

  /**
   * Short deadline floors: backup copies go out after a quarter of them (250 ms for a batch, 500 ms
   * for a job).
   */
  private static DispatchConfig quick() {
    return DispatchConfig.defaults()
        .withScoreDeadline(Duration.ofSeconds(1))
        .withTrainDeadline(Duration.ofSeconds(2));
  }

  private double count(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static float[] features(int rows, int width) {
    float[] f = new float[rows * width];
    for (int i = 0; i < f.length; i++) {
      f[i] = i % 7;
    }
    return f;
  }

  /** A score deadline that does not grow with rows, and {@code maxAttempts} misses per item. */
  private static DispatchConfig fixedScoreDeadline(Duration deadline, int maxAttempts) {
    return new DispatchConfig(
        deadline,
        Duration.ofSeconds(60),
        maxAttempts,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofNanos(1),
        Duration.ofNanos(1),
        64,
        3,
        Duration.ofMinutes(5),
        1e9);
  }

  @Test
  void workIdsAreUnguessable() throws Exception {
    start(DispatchConfig.defaults());
    ScriptedWorker w = connected("w", 2);
    dispatcher.score("m1", 1, 1, new float[] {1});
    await().until(() -> w.received.size() == 1);
    w.answerAll();
    dispatcher.score("m1", 1, 1, new float[] {2});
    await().until(() -> w.received.size() == 2);
    Pattern random = Pattern.compile("b-[A-Za-z0-9_-]{22}");
    String a = w.received.get(0).getBatchId();
    String b = w.received.get(1).getBatchId();
    assertTrue(random.matcher(a).matches() && random.matcher(b).matches(), a + " " + b);
    assertNotEquals(a, b);
  }

  @Test
  void answersForWorkAnotherStreamHoldsAreDroppedCountedAndQuarantineTheForger() throws Exception {
    start(quick());
    ScriptedWorker real = honest(1, "real").get(0);
    CompletableFuture<float[]> atReal = dispatcher.score("m1", 2, 2, features(2, 2));
    await().until(() -> real.heldCount() == 1);
    ScriptedWorker accomplice = connected("accomplice", 1);
    CompletableFuture<float[]> atAccomplice = dispatcher.score("m1", 2, 2, features(2, 2));
    await().until(() -> accomplice.received.size() == 1);
    ScoreBatch mine = accomplice.received.get(0);
    ScoreBatch theirs = real.received.get(real.received.size() - 1);

    ScriptedWorker forger = connected("forger", 0);
    forger.answer(mine.getBatchId(), 1, 1e6f, 1e6f); // learned from the accomplice
    forger.fail(theirs.getBatchId(), Status.Code.INVALID_ARGUMENT); // would fail a search
    forger.answer("b-1", 1, 1e6f); // the old sequential ids
    await().until(() -> forger.error != null);
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        Status.fromThrowable(forger.error).getCode(),
        "quarantined after 3 faults");
    assertEquals(3, dispatcher.snapshot().forgeries());
    assertEquals(2, count("nas.dispatcher.forgeries", "message", "score_result"));
    assertEquals(1, count("nas.dispatcher.forgeries", "message", "failure"));
    assertEquals(1, registry.get("nas.dispatcher.workers.quarantined").counter().count());
    assertFalse(atReal.isDone() || atAccomplice.isDone(), "no forged answer counted");

    ScriptedWorker again = new ScriptedWorker("forger").connect(channel, 1000);
    await().until(() -> again.error != null);
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        Status.fromThrowable(again.error).getCode(),
        "refused while quarantined");

    real.answerAll(); // then, idle and with a record, it backs up the accomplice's batch
    await().until(() -> real.heldCount() == 1);
    real.answerAll();
    float[] expected = ScriptedWorker.rowSums(mine);
    assertArrayEquals(expected, atReal.get(5, TimeUnit.SECONDS));
    assertArrayEquals(expected, atAccomplice.get(5, TimeUnit.SECONDS));
    // The accomplice's copy is withdrawn; the cancel travels on its stream after the result
    // counted.
    await().until(() -> accomplice.cancelled.contains(mine.getBatchId()));
  }

  @Test
  void invalidScoresSendTheBatchElsewhereAndCountAgainstTheWorker() throws Exception {
    start(quick());
    ScriptedWorker liar = connected("liar", 1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 2, 3, features(2, 3));
    float[][] lies = {{1f}, {Float.NaN, 1f}, {Float.POSITIVE_INFINITY, 1f}, {1e30f, 1f}};
    for (int i = 0; i < lies.length; i++) {
      int n = i + 1;
      await().until(() -> liar.received.size() == n); // the only worker with a credit gets it again
      liar.answer(liar.received.get(i).getBatchId(), n, lies[i]);
      liar.grant(1);
    }
    await().until(() -> dispatcher.snapshot().rejected() == 4);
    assertFalse(f.isDone());
    ScriptedWorker real =
        connected("real", 1); // backs up a batch held only by workers without a record
    await().until(() -> real.heldCount() == 1);
    real.answerAll();
    assertArrayEquals(ScriptedWorker.rowSums(real.received.get(0)), f.get(5, TimeUnit.SECONDS));
    assertEquals(1, count("nas.dispatcher.results.rejected", "reason", "length"));
    assertEquals(2, count("nas.dispatcher.results.rejected", "reason", "non_finite"));
    assertEquals(1, count("nas.dispatcher.results.rejected", "reason", "magnitude"));
    // Wrong length at once; non-finite scores once another worker scored the batch.
    await()
        .until(
            () ->
                dispatcher.snapshot().workers().stream()
                        .filter(w -> w.workerId().equals("liar"))
                        .findFirst()
                        .orElseThrow()
                        .faults()
                    == 2);
  }

  @Test
  void aGarbageModelIsRejectedAndTheJobIsTrainedElsewhereAndProbed() throws Exception {
    start(quick());
    ScriptedWorker garbage = connected("garbage", 1);
    CompletableFuture<TrainResult> job =
        dispatcher.train(
            SurrogateSpec.getDefaultInstance(), 7, 20, 3, features(20, 3), new float[20]);
    await().until(() -> garbage.jobs.size() == 1);
    garbage.trained(
        garbage.jobs.get(0).getJobId(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    garbage.grant(1);
    await().until(() -> dispatcher.snapshot().rejected() == 1);
    assertEquals(1, count("nas.dispatcher.results.rejected", "reason", "model_format"));

    byte[] model = ScriptedWorker.framedModel(new byte[] {42, 42, 42});
    await().until(() -> garbage.jobs.size() == 2); // the only worker gets the job again
    ScriptedWorker real = connected("real", 2); // and an idle worker backs it up
    await().until(() -> real.jobs.size() == 1);
    real.trained(real.jobs.get(0).getJobId(), model);
    // The model must score the job's first rows on a worker before the job counts.
    await().until(() -> real.heldCount() == 1);
    ScoreBatch probe = real.received.get(0);
    assertEquals(16, probe.getRows());
    assertTrue(real.loadedModels.contains(probe.getModelId()));
    assertFalse(job.isDone());
    real.answerAll();
    assertArrayEquals(model, job.get(5, TimeUnit.SECONDS).getModel().toByteArray());
    assertFalse(models.contains(probe.getModelId()), "the probe's model copy is forgotten");
  }

  @Test
  void aGraphLayoutTravelsWithTheJobItsProbeAndItsBatches() throws Exception {
    start(DispatchConfig.defaults());
    ScriptedWorker worker = honest(1, "solo").get(0);
    io.nassearch.api.v1.InputLayout graph =
        io.nassearch.api.v1.InputLayout.newBuilder()
            .setGraph(io.nassearch.api.v1.GraphLayout.newBuilder().setNodes(1).setNodeFeatures(2))
            .build();
    CompletableFuture<TrainResult> job =
        dispatcher.train(
            SurrogateSpec.getDefaultInstance(),
            7,
            20,
            3,
            features(20, 3),
            new float[20],
            null,
            graph);
    await().until(() -> worker.jobs.size() == 1);
    assertEquals(graph, worker.jobs.get(0).getInput());
    worker.trained(worker.jobs.get(0).getJobId(), ScriptedWorker.framedModel(new byte[] {1}));
    worker.grant(1);
    await().until(() -> worker.heldCount() == 1);
    assertEquals(graph, worker.received.get(worker.received.size() - 1).getInput());
    worker.answerAll();
    job.get(5, TimeUnit.SECONDS);
    models.put("m-graph", ScriptedWorker.framedModel(new byte[] {3}));
    CompletableFuture<float[]> scores = dispatcher.score("m-graph", 2, 3, features(2, 3), graph);
    worker.grant(1);
    await().until(() -> worker.heldCount() == 1);
    assertEquals(graph, worker.received.get(worker.received.size() - 1).getInput());
    worker.answerAll();
    assertEquals(2, scores.get(5, TimeUnit.SECONDS).length);
  }

  @Test
  void aModelThatFailsItsProbeOnAnotherWorkerIsRejected() throws Exception {
    start(DispatchConfig.defaults());
    List<ScriptedWorker> both = honest(1, "prober", "trainer");
    ScriptedWorker prober = both.get(0);
    ScriptedWorker trainer = both.get(1);
    CompletableFuture<TrainResult> job =
        dispatcher.train(
            SurrogateSpec.getDefaultInstance(), 7, 20, 3, features(20, 3), new float[20]);
    await().until(() -> trainer.jobs.size() + prober.jobs.size() == 1);
    ScriptedWorker first = trainer.jobs.isEmpty() ? prober : trainer;
    ScriptedWorker other = first == trainer ? prober : trainer;
    first.trained(first.jobs.get(0).getJobId(), ScriptedWorker.framedModel(new byte[] {1}));
    first.grant(1);
    await().until(() -> other.heldCount() == 1); // probed by the other worker with a record
    ScoreBatch probe = other.received.get(other.received.size() - 1);
    other.fail(probe.getBatchId(), Status.Code.FAILED_PRECONDITION); // "cannot load it"
    other.grant(1);
    await().until(() -> count("nas.dispatcher.results.rejected", "reason", "model_probe") == 1);
    await().until(() -> other.jobs.size() == 1); // trained again, by the other worker
    byte[] good = ScriptedWorker.framedModel(new byte[] {2});
    other.trained(other.jobs.get(0).getJobId(), good);
    await().until(() -> first.heldCount() == 1);
    first.answerAll();
    assertArrayEquals(good, job.get(5, TimeUnit.SECONDS).getModel().toByteArray());
  }

  @Test
  void aWorkerThatHoldsTrainingWithoutProgressDoesNotStallIt() throws Exception {
    start(
        DispatchConfig.defaults()
            .withTrainDeadline(Duration.ofSeconds(4))); // a backup after 1 s, not the deadline
    ScriptedWorker stuck = connected("stuck", 100);
    CompletableFuture<TrainResult> job =
        dispatcher.train(
            SurrogateSpec.getDefaultInstance(), 7, 20, 3, features(20, 3), new float[20]);
    await().until(() -> stuck.jobs.size() == 1);
    ScriptedWorker real = connected("real", 2);
    await().until(() -> real.jobs.size() == 1);
    byte[] model = ScriptedWorker.framedModel(new byte[] {5});
    real.trained(real.jobs.get(0).getJobId(), model);
    await().until(() -> real.heldCount() == 1);
    real.answerAll();
    assertArrayEquals(model, job.get(5, TimeUnit.SECONDS).getModel().toByteArray());
    await().until(() -> stuck.cancelled.contains(stuck.jobs.get(0).getJobId()));
    assertEquals(1, registry.get("nas.dispatcher.backup.copies").counter().count());
    assertEquals(
        0,
        registry.get("nas.dispatcher.deadline.misses").tag("kind", "train").counter().count(),
        "no deadline waited for");
  }

  @Test
  void silentConnectionsNeitherMakeWorkFailNorBurnItsAttempts() throws Exception {
    // One miss on a worker with a record would fail an item; misses on the silent ones must not
    // count.
    start(fixedScoreDeadline(Duration.ofMillis(300), 1));
    ScriptedWorker real =
        honest(0, "real").get(0); // credits only once the silent ones held and missed batches
    List<ScriptedWorker> silent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      silent.add(connected("silent-" + i, i % 2 == 0 ? 100 : 0));
    }
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      futures.add(dispatcher.score("m1", 1, 2, new float[] {i, 1}));
    }
    await()
        .until(
            () ->
                registry
                        .get("nas.dispatcher.deadline.misses")
                        .tag("kind", "score")
                        .counter()
                        .count()
                    >= 30);
    assertTrue(
        futures.stream().noneMatch(CompletableFuture::isDone), "30 misses, yet nothing given up");
    real.grant(2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              real.answerAll();
              return futures.stream().allMatch(CompletableFuture::isDone);
            });
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(new float[] {i + 1}, futures.get(i).get());
    }
    assertTrue(
        silent.stream().mapToInt(w -> w.received.size()).sum() > 0,
        "the silent workers did take batches");
  }

  @Test
  void missesOnWorkersWithARecordStillEndAnItem() throws Exception {
    start(fixedScoreDeadline(Duration.ofMillis(100), 2));
    List<ScriptedWorker> ab = honest(2, "a", "b");
    ScriptedWorker a = ab.get(0);
    ScriptedWorker b = ab.get(1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {1});
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    Status status = Status.fromThrowable(e.getCause());
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(
        status.getDescription().contains("2 deliveries to workers with a record"),
        status.getDescription());
    assertEquals(
        4,
        a.received.size() + b.received.size(),
        "a warm-up and one delivery each: a worker that missed it gets nothing new");
  }

  @Test
  void deadlinesScaleWithTheWork() throws Exception {
    start(DispatchConfig.defaults());
    ScriptedWorker w = new ScriptedWorker("w").connect(channel, 100_000);
    await().until(() -> w.welcomed);
    w.grant(1);
    dispatcher.score("m1", 50_000, 1, new float[50_000]);
    await().until(() -> w.received.size() == 1);
    assertEquals(
        50,
        Durations.toSeconds(w.received.get(0).getDeadline()),
        "1 ms per row above the 10 s floor");
    DispatchConfig d = DispatchConfig.defaults();
    assertEquals(Duration.ofSeconds(10), d.scoreDeadlineFor(64));
    assertEquals(Duration.ofSeconds(60), d.trainDeadlineFor(100, 200));
    assertEquals(Duration.ofSeconds(500), d.trainDeadlineFor(10_000, 200));
  }

  @Test
  void aWorkerIdIsTakenOverOnlyWithTheSameCredential() throws Exception {
    start(DispatchConfig.defaults());
    Hello hello =
        Hello.newBuilder()
            .setWorkerId("w5a")
            .setDevice("cpu")
            .setMaxBatchRows(10)
            .setParallelism(1)
            .build();
    BearerToken alice = BearerToken.of("alice-token-0123456789");
    BearerToken mallory = BearerToken.of("mallory-token-0123456789");
    ScriptedWorker real = new ScriptedWorker("w5a").connect(channel, alice, hello);
    await().until(() -> real.welcomed);
    ScriptedWorker squatter = new ScriptedWorker("w5a").connect(channel, mallory, hello);
    await().until(() -> squatter.welcomed);
    assertEquals(null, real.error, "another credential cannot push the real worker out");
    assertEquals(2, dispatcher.snapshot().workers().size());

    ScriptedWorker restarted = new ScriptedWorker("w5a").connect(channel, alice, hello);
    await().until(() -> restarted.welcomed && real.error != null);
    assertEquals(
        Status.Code.ABORTED,
        Status.fromThrowable(real.error).getCode(),
        "the same credential takes its id over");
    assertEquals(null, squatter.error);
    assertEquals(2, dispatcher.snapshot().workers().size());
  }

  @Test
  void helloFieldsAreRangeChecked() throws Exception {
    start(DispatchConfig.defaults());
    Hello ok =
        Hello.newBuilder()
            .setWorkerId("w")
            .setDevice("cpu")
            .setVersion("0.1.0")
            .setMaxBatchRows(10)
            .setParallelism(1)
            .build();
    List<Hello> bad =
        List.of(
            ok.toBuilder().setParallelism(-5).build(),
            ok.toBuilder().setParallelism(Integer.MAX_VALUE).build(),
            ok.toBuilder().setParallelism(0).build(),
            ok.toBuilder().setMaxBatchRows(Integer.MAX_VALUE).build(),
            ok.toBuilder().setWorkerId("a\nb").build(),
            ok.toBuilder().setWorkerId("nul\u0000").build(),
            ok.toBuilder().setWorkerId("\u001b[31mred").build(),
            ok.toBuilder().setWorkerId("x".repeat(129)).build(),
            ok.toBuilder().setDevice("gpu\r\nINFO fake log line").build(),
            ok.toBuilder().setVersion("v".repeat(65)).build());
    for (Hello h : bad) {
      ScriptedWorker w = new ScriptedWorker("x").connect(channel, null, h);
      await().until(() -> w.error != null);
      Status s = Status.fromThrowable(w.error);
      assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), h.toString());
      assertTrue(s.getDescription().startsWith("hello."), s.getDescription());
    }
    ScriptedWorker fine = new ScriptedWorker("w").connect(channel, null, ok);
    await().until(() -> fine.welcomed);
  }

  @Test
  void logValuesAreEscaped() {
    assertEquals("a\\u000ab\\u0000\\u001b[31m", LogSafe.escape("a\nb\u0000\u001b[31m"));
    assertEquals("back\\\\slash", LogSafe.escape("back\\slash"));
    assertTrue(LogSafe.escape("x".repeat(1000)).length() < 220);
  }
}
