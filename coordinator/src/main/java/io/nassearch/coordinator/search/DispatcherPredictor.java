package io.nassearch.coordinator.search;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.api.v1.SurrogateSpec;
import io.nassearch.api.v1.TrainResult;
import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.coordinator.dispatch.Dispatcher;
import io.nassearch.coordinator.model.ModelRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * A {@link Predictor} whose models are trained and scored on the workers: a training job per model,
 * score batches of a fixed size (so results do not depend on the number of workers), and the model
 * released on every worker when closed.
 */
final class DispatcherPredictor implements Predictor {
  /** How long a client's ask waits for a worker while none is connected. */
  static final Duration ASK_PATIENCE = Duration.ofSeconds(10);

  private final Dispatcher dispatcher;
  private final ModelRegistry models;
  private final SurrogateSpec spec;
  private final InputLayout input;
  private final String modelPrefix;
  private final int batchSize;

  /** Registers a future so that cancelling the search withdraws it. */
  private final UnaryOperator<CompletableFuture<?>> track;

  private final LongConsumer rowsScored;
  private final AtomicInteger trained = new AtomicInteger();

  /** How long to wait while no worker is connected before giving up; null: as long as it takes. */
  private final Duration workerPatience;

  DispatcherPredictor(
      Dispatcher dispatcher,
      ModelRegistry models,
      SurrogateSpec spec,
      InputLayout input,
      String modelPrefix,
      int batchSize,
      UnaryOperator<CompletableFuture<?>> track,
      LongConsumer rowsScored,
      Duration workerPatience) {
    this.dispatcher = dispatcher;
    this.models = models;
    this.spec = spec;
    this.input = input;
    this.modelPrefix = modelPrefix;
    this.batchSize = batchSize;
    this.track = track;
    this.rowsScored = rowsScored;
    this.workerPatience = workerPatience;
  }

  @Override
  public Model fit(float[] features, float[] targets, int rows, int width, long seed)
      throws InterruptedException, ExecutionException {
    return fit(features, targets, rows, width, seed, null);
  }

  @Override
  public Model fit(
      float[] features, float[] targets, int rows, int width, long seed, Model warmStart)
      throws InterruptedException, ExecutionException {
    byte[] start =
        warmStart instanceof DispatchedModel d && models.contains(d.modelId)
            ? models.get(d.modelId)
            : null;
    CompletableFuture<TrainResult> job =
        dispatcher.train(spec, seed, rows, width, features, targets, start, input);
    track.apply(job);
    String modelId = modelPrefix + "-" + trained.incrementAndGet();
    models.put(modelId, await(job).getModel().toByteArray());
    return new DispatchedModel(modelId, width);
  }

  /**
   * The work's result; with a patience, {@link NotReadyException} (the work withdrawn) once no
   * worker has been connected for that long, so a client's call answers instead of hanging.
   */
  private <T> T await(CompletableFuture<T> work) throws InterruptedException, ExecutionException {
    if (workerPatience == null) {
      return work.get();
    }
    long giveUpAt = System.nanoTime() + workerPatience.toNanos();
    while (true) {
      try {
        return work.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        if (!dispatcher.snapshot().workers().isEmpty()) {
          giveUpAt = System.nanoTime() + workerPatience.toNanos();
        } else if (System.nanoTime() - giveUpAt > 0) {
          work.cancel(false);
          throw new NotReadyException(
              "No worker is connected to train and run the surrogate; start one (./nas worker"
                  + " --coordinator HOST:PORT) and ask again");
        }
      }
    }
  }

  @FunctionalInterface
  private interface BatchSender {
    CompletableFuture<float[]> send(int from, int rows);
  }

  /** A model trained on a worker, registered under {@code modelId} until closed. */
  private final class DispatchedModel implements Model {
    final String modelId;
    final int width;

    DispatchedModel(String modelId, int width) {
      this.modelId = modelId;
      this.width = width;
    }

    @Override
    public float[] score(float[] x, int n) throws InterruptedException, ExecutionException {
      return inBatches(
          n,
          (from, rows) ->
              dispatcher.score(
                  modelId,
                  rows,
                  width,
                  Arrays.copyOfRange(x, from * width, (from + rows) * width),
                  input));
    }

    @Override
    public float[] scoreCoded(CodedLayout layout, byte[] codes, int n)
        throws InterruptedException, ExecutionException {
      int fields = layout.fields();
      return inBatches(
          n,
          (from, rows) ->
              dispatcher.scoreCoded(
                  modelId,
                  rows,
                  layout,
                  Arrays.copyOfRange(codes, from * fields, (from + rows) * fields)));
    }

    /**
     * Sends fixed-size batches (so results do not depend on the number of workers) and joins their
     * scores.
     */
    private float[] inBatches(int n, BatchSender send)
        throws InterruptedException, ExecutionException {
      List<CompletableFuture<float[]>> batches = new ArrayList<>();
      for (int from = 0; from < n; from += batchSize) {
        CompletableFuture<float[]> batch = send.send(from, Math.min(batchSize, n - from));
        track.apply(batch);
        batches.add(batch);
      }
      float[] out = new float[n];
      int at = 0;
      for (CompletableFuture<float[]> b : batches) {
        float[] s = await(b);
        System.arraycopy(s, 0, out, at, s.length);
        at += s.length;
      }
      rowsScored.accept(n);
      return out;
    }

    @Override
    public void close() {
      dispatcher.release(modelId);
    }
  }
}
