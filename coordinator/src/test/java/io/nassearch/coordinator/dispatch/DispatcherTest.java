package io.nassearch.coordinator.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.v1.ScoreBatch;
import io.nassearch.api.v1.WorkerMessage;
import io.nassearch.coordinator.model.ModelRegistry;
import io.nassearch.coordinator.server.WorkerServiceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dispatcher edge cases, driven by scripted workers over the real Connect stream (in-process). */
class DispatcherTest {
  private Server server;
  private ManagedChannel channel;
  private Dispatcher dispatcher;

  @BeforeEach
  void start() throws Exception {
    start(DispatchConfig.defaults());
  }

  private void start(DispatchConfig config) throws Exception {
    if (server != null) {
      stop();
    }
    ModelRegistry models = new ModelRegistry();
    models.put("m1", new byte[] {1, 2, 3});
    dispatcher = new Dispatcher(config, models, DispatchListener.NONE);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new WorkerServiceImpl(dispatcher, 8))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.close();
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /**
   * Gives a connected worker without credits a record of finishing: with one credit it scores one
   * batch, and is left without credits again (so other workers' warm-ups go to them).
   */
  private void warmUp(ScriptedWorker w) throws Exception {
    int before = w.received.size();
    w.grant(1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {0});
    await().until(() -> w.received.size() > before);
    w.answerHeld(false);
    f.get(5, TimeUnit.SECONDS);
  }

  private static float[] rows(int rows, int width, float base) {
    float[] f = new float[rows * width];
    for (int i = 0; i < f.length; i++) {
      f[i] = base + i;
    }
    return f;
  }

  private static float[] rowSums(float[] f, int rows, int width) {
    float[] s = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        s[r] += f[r * width + c];
      }
    }
    return s;
  }

  /** Waits until the connected workers' credits add up to {@code total}. */
  private void awaitCredits(int total) {
    await()
        .until(
            () ->
                dispatcher.snapshot().workers().stream()
                        .mapToInt(Dispatcher.WorkerView::credits)
                        .sum()
                    == total);
  }

  @Test
  void sendsNoMoreBatchesThanCreditsGranted() throws Exception {
    ScriptedWorker w = new ScriptedWorker("w1").connect(channel, 1000);
    await().until(() -> w.welcomed);
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(dispatcher.score("m1", 2, 3, rows(2, 3, i)));
    }
    w.grant(3);
    await().until(() -> w.received.size() == 1);
    Thread.sleep(100); // Give a misbehaving dispatcher time to overshoot.
    assertEquals(1, w.received.size(), "a worker without a record of finishing holds one batch");
    w.answerAll(); // its first result: now it may fill its window of 3
    await().until(() -> w.received.size() == 4);
    Thread.sleep(100);
    assertEquals(4, w.received.size());
    assertEquals(1, w.loadedModels.size(), "model shipped once, before the first batch");
    while (futures.stream().anyMatch(f -> !f.isDone())) {
      int answered = w.answerAll();
      assertTrue(w.received.size() <= w.granted, "in flight within credits");
      if (answered == 0) {
        Thread.sleep(5);
      }
    }
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(rowSums(rows(2, 3, i), 2, 3), futures.get(i).get());
    }
    assertEquals(1, w.loadedModels.size());
  }

  @Test
  void workGoesToTheWorkerWithFewestItemsInFlightNotTheLargestWindow() throws Exception {
    ScriptedWorker big = new ScriptedWorker("big").connect(channel, 1000);
    await().until(() -> big.welcomed);
    warmUp(big);
    ScriptedWorker small = new ScriptedWorker("small").connect(channel, 1000);
    await().until(() -> small.welcomed);
    warmUp(small);
    big.grant(10);
    small.grant(2);
    awaitCredits(12);
    big.received.clear();
    small.received.clear();
    for (int i = 0; i < 4; i++) {
      dispatcher.score("m1", 1, 1, new float[] {i});
      int sent = i + 1;
      // One at a time: the in-process transport is briefly not ready while a worker has unread
      // messages.
      await().until(() -> big.received.size() + small.received.size() == sent);
    }
    assertEquals(2, big.received.size(), "a round of 4 batches splits evenly");
    assertEquals(2, small.received.size());
  }

  @Test
  void codedRowsTravelAsCodesToWorkersThatExpandThemAndAsFloatsToOthers() throws Exception {
    CodedLayout layout = new CodedLayout(3, 0, 2); // 3 + 1 + 2 columns
    byte[] codes = {2, 7, 1, 0, (byte) 200, 0};
    float[] expected = {1f + 7f + 1f, 1f + 200f + 1f};
    ScriptedWorker coded = new ScriptedWorker("coded").connect(channel, 1000, true);
    await().until(() -> coded.welcomed);
    coded.grant(1);
    CompletableFuture<float[]> viaCodes = dispatcher.scoreCoded("m1", 2, layout, codes);
    await().until(() -> coded.received.size() == 1);
    ScoreBatch sent = coded.received.get(0);
    assertTrue(sent.hasCoded());
    assertEquals(0, sent.getFeaturesCount());
    assertEquals(6, sent.getWidth());
    assertEquals(List.of(3, 0, 2), sent.getCoded().getOneHotDepthsList());
    assertArrayEquals(codes, sent.getCoded().getCodes().toByteArray());
    coded.answerAll();
    assertArrayEquals(expected, viaCodes.get(5, TimeUnit.SECONDS));

    coded.crash();
    ScriptedWorker plain = new ScriptedWorker("plain").connect(channel, 1000);
    await().until(() -> plain.welcomed);
    plain.grant(1);
    CompletableFuture<float[]> viaFloats = dispatcher.scoreCoded("m1", 2, layout, codes);
    await().until(() -> plain.received.size() == 1);
    ScoreBatch expanded = plain.received.get(0);
    assertTrue(!expanded.hasCoded());
    assertEquals(
        List.of(0f, 0f, 1f, 7f, 0f, 1f, 1f, 0f, 0f, 200f, 1f, 0f), expanded.getFeaturesList());
    plain.answerAll();
    assertArrayEquals(expected, viaFloats.get(5, TimeUnit.SECONDS));
    assertThrows(
        IllegalArgumentException.class, () -> dispatcher.scoreCoded("m1", 3, layout, codes));
  }

  @Test
  void batchOfADisconnectedWorkerGoesToAnotherAndLateResultIsDropped() throws Exception {
    ScriptedWorker a = new ScriptedWorker("a").connect(channel, 1000);
    await().until(() -> a.welcomed);
    a.grant(1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 4, 2, rows(4, 2, 0));
    await().until(() -> a.received.size() == 1);
    ScoreBatch first = a.received.get(0);
    a.crash();
    await().until(() -> dispatcher.snapshot().queued() == 1);

    ScriptedWorker b = new ScriptedWorker("b").connect(channel, 1000);
    await().until(() -> b.welcomed);
    b.grant(1);
    await().until(() -> b.received.size() == 1);
    ScoreBatch second = b.received.get(0);
    assertEquals(first.getBatchId(), second.getBatchId());
    assertEquals(2, second.getAttempt());
    b.answerAll();
    assertArrayEquals(rowSums(rows(4, 2, 0), 4, 2), f.get(5, TimeUnit.SECONDS));

    // A second answer for the same batch (a late duplicate) is dropped, not counted.
    b.answer(second);
    await().until(() -> dispatcher.snapshot().duplicatesDropped() == 1);
    assertEquals(1, dispatcher.snapshot().redeliveries());
    assertEquals(0, dispatcher.snapshot().forgeries(), "a stream that held the batch is no forger");
  }

  @Test
  void batchPastItsDeadlineIsSentElsewhereAndFirstResultWins() throws Exception {
    start(DispatchConfig.defaults().withScoreDeadline(Duration.ofMillis(200)));
    ScriptedWorker slow = new ScriptedWorker("slow").connect(channel, 1000);
    await().until(() -> slow.welcomed);
    warmUp(slow); // with a record, its batches get no backup copies: only the deadline moves them
    slow.grant(1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {7});
    await().until(() -> slow.received.size() == 2);
    ScriptedWorker fast = new ScriptedWorker("fast").connect(channel, 1000);
    await().until(() -> fast.welcomed);
    fast.grant(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> fast.received.size() == 1);
    fast.answerAll();
    assertArrayEquals(new float[] {7}, f.get(5, TimeUnit.SECONDS));
    slow.answerAll();
    await().until(() -> dispatcher.snapshot().duplicatesDropped() == 1);
  }

  @Test
  void workIsSpreadOverWorkers() throws Exception {
    List<ScriptedWorker> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ScriptedWorker w = new ScriptedWorker("w" + i).connect(channel, 1000);
      await().until(() -> w.welcomed);
      warmUp(w);
      w.received.clear();
      workers.add(w);
    }
    for (ScriptedWorker w : workers) {
      w.grant(2);
    }
    awaitCredits(6);
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(dispatcher.score("m1", 1, 1, new float[] {i}));
    }
    await().until(() -> workers.stream().mapToInt(w -> w.received.size()).sum() == 6);
    for (ScriptedWorker w : workers) {
      assertEquals(2, w.received.size(), "each worker took its two credits' worth");
      w.answerAll();
    }
    for (CompletableFuture<float[]> f : futures) {
      f.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void oversizedBatchWaitsForAWorkerThatAcceptsIt() throws Exception {
    ScriptedWorker small = new ScriptedWorker("small").connect(channel, 2);
    await().until(() -> small.welcomed);
    small.grant(5);
    CompletableFuture<float[]> big = dispatcher.score("m1", 3, 1, new float[] {1, 2, 3});
    CompletableFuture<float[]> fits = dispatcher.score("m1", 2, 1, new float[] {1, 2});
    await().until(() -> small.received.size() == 1);
    assertEquals(2, small.received.get(0).getRows());
    small.answerAll();
    fits.get(5, TimeUnit.SECONDS);
    ScriptedWorker large = new ScriptedWorker("large").connect(channel, 100);
    await().until(() -> large.welcomed);
    large.grant(1);
    await().until(() -> large.received.size() == 1);
    large.answerAll();
    assertArrayEquals(new float[] {1, 2, 3}, big.get(5, TimeUnit.SECONDS));
  }

  @Test
  void workerFailureFailsTheItemWithTheWorkersCode() throws Exception {
    ScriptedWorker w = new ScriptedWorker("w").connect(channel, 100);
    await().until(() -> w.welcomed);
    w.grant(1);
    CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {1});
    await().until(() -> w.received.size() == 1);
    w.send(
        WorkerMessage.newBuilder()
            .setFailure(
                io.nassearch.api.v1.WorkFailure.newBuilder()
                    .setWorkId(w.received.get(0).getBatchId())
                    .setAttempt(1)
                    .setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage("bad width"))
            .build());
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        ((StatusRuntimeException) e.getCause()).getStatus().getCode());
  }

  @Test
  void handshakeErrorsUseTheDocumentedStatuses() throws Exception {
    ScriptedWorker noRows = new ScriptedWorker("zero").connect(channel, 0);
    await().until(() -> noRows.error != null);
    assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(noRows.error).getCode());
  }

  @Test
  void cancelledWorkIsWithdrawnFromTheQueue() throws Exception {
    CompletableFuture<float[]> f = dispatcher.score("m1", 1, 1, new float[] {1});
    f.cancel(false);
    ScriptedWorker w = new ScriptedWorker("w").connect(channel, 10);
    await().until(() -> w.welcomed);
    w.grant(1);
    Thread.sleep(100);
    assertEquals(0, w.received.size());
    assertEquals(0, dispatcher.snapshot().queued());
  }
}
