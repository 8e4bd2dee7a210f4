package io.nassearch.worker.surrogate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Trains a {@link Surrogate} with minibatch Adam. TensorFlow computes loss gradients; Java owns the
 * weights, the Adam state and all randomness (init, shuffling, validation split, dropout masks), so
 * a seed, the data and the {@link SurrogateRuntime} fully determine the result bit for bit.
 */
public final class SurrogateTrainer {
  private SurrogateTrainer() {}

  /**
   * @param model trained surrogate with the best validation weights; the caller closes it
   * @param validationTau Kendall tau of the returned model on the held-out rows, NaN without
   *     validation rows
   * @param epochs epochs actually run
   */
  public record TrainingOutcome(
      Surrogate model, double validationTau, int epochs, Duration trainTime) {}

  public static TrainingOutcome train(
      SurrogateConfig config, float[] features, int rows, int width, float[] targets, long seed) {
    return train(
        config, features, rows, width, targets, seed, SurrogateRuntime.singleThreaded(), null);
  }

  /**
   * As above, on {@code runtime}, starting from {@code warmStart}'s weights when it has the same
   * family, width and layer sizes (null or any other model means a random initialisation): online
   * refinement after new results. Feature scaling is refitted to the new rows; the optimiser state
   * starts fresh.
   *
   * @param features row-major, {@code rows * width} finite floats
   * @param targets one finite value per row, higher = better
   * @throws IllegalArgumentException on null config, rows < 2, width < 1, wrong lengths or
   *     non-finite values
   */
  public static TrainingOutcome train(
      SurrogateConfig config,
      float[] features,
      int rows,
      int width,
      float[] targets,
      long seed,
      SurrogateRuntime runtime,
      Surrogate warmStart) {
    return train(config, features, rows, InputShape.flat(width), targets, seed, runtime, warmStart);
  }

  /**
   * As above, for rows read as {@code shape} (graph rows for a graph family).
   *
   * @throws IllegalArgumentException also when the family cannot read rows of this shape
   */
  public static TrainingOutcome train(
      SurrogateConfig config,
      float[] features,
      int rows,
      InputShape shape,
      float[] targets,
      long seed,
      SurrogateRuntime runtime,
      Surrogate warmStart) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    if (runtime == null) {
      throw new IllegalArgumentException("runtime must not be null");
    }
    if (shape.isGraph() != config.family().readsGraphsOnly()) {
      throw new IllegalArgumentException(
          "family "
              + config.family()
              + " cannot read "
              + (shape.isGraph() ? "graph" : "flat")
              + " rows");
    }
    int width = shape.width();
    Inputs.requireMatrix("features", features, rows, width, 2);
    if (targets == null || targets.length != rows) {
      throw new IllegalArgumentException(
          "targets must have one value per row ("
              + rows
              + "), got "
              + (targets == null ? "null" : targets.length));
    }
    Inputs.requireFinite("targets", targets, 1);
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    TrainingRows data = new TrainingRows(config, features, rows, width, targets, random);
    try (Run run = new Run(config, data, shape, random, runtime, warmStart)) {
      return run.train(start);
    }
  }

  /** One training run: its graph, session and optimiser state. */
  private static final class Run implements AutoCloseable {
    private final SurrogateConfig config;
    private final ModelFamily family;
    private final TrainingRows data;
    private final InputShape shape;
    private final SplittableRandom random;
    private final SurrogateRuntime runtime;
    private final List<int[]> shapes;
    private final float[][] params;
    private final AdamState adam;

    private final Graph graph;
    private final Session session;
    private final Operand<TFloat32> input;
    private final Operand<TFloat32> target;
    private final List<Operand<TFloat32>> paramInputs = new ArrayList<>();
    private final List<Operand<TFloat32>> maskInputs;
    private final Output<?>[] gradients;
    private final Operand<TFloat32> inferenceScores;

    /** Draws the initial weights from {@code random}, after the split {@code data} drew. */
    Run(
        SurrogateConfig config,
        TrainingRows data,
        InputShape shape,
        SplittableRandom random,
        SurrogateRuntime runtime,
        Surrogate warmStart) {
      this.config = config;
      this.family = config.family();
      this.data = data;
      this.shape = shape;
      this.random = random;
      int width = data.width;
      this.runtime = runtime;
      this.shapes = family.parameterShapes(config, shape);
      float[][] initial =
          family.initialParameters(config, shape, random); // drawn anyway: same random stream
      this.params =
          compatible(warmStart, family, config, shape) ? warmStart.parametersCopy() : initial;
      this.adam = new AdamState(params, shapes);

      Graph g = new Graph();
      try {
        Ops tf = Ops.create(g);
        input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
        target = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        for (int[] dims : shapes) {
          paramInputs.add(tf.placeholder(TFloat32.class, Placeholder.shape(shapeOf(dims))));
        }
        if (config.dropout() > 0f) {
          maskInputs = new ArrayList<>();
          for (int i = 0; i < family.hiddenMaskCount(config); i++) {
            maskInputs.add(
                tf.placeholder(
                    TFloat32.class, Placeholder.shape(Shape.of(-1, config.hiddenUnits()))));
          }
        } else {
          maskInputs = null;
        }
        Operand<TFloat32> standardized =
            Surrogate.standardize(tf, input, data.featureOffset, data.featureScale);
        Operand<TFloat32> trainScores =
            family.forward(tf, standardized, paramInputs, maskInputs, shape);
        Operand<TFloat32> loss = RankingLosses.build(tf, config.loss(), trainScores, target);
        Output<?>[] wrt = paramInputs.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        gradients = g.addGradients(loss.asOutput(), wrt);
        inferenceScores = family.forward(tf, standardized, paramInputs, null, shape);
        graph = g;
        session = new Session(g, runtime.toConfigProto());
      } catch (RuntimeException e) {
        g.close();
        throw e;
      }
    }

    private static boolean compatible(
        Surrogate warm, ModelFamily family, SurrogateConfig config, InputShape shape) {
      return warm != null
          && warm.family() == family
          && warm.inputShape().equals(shape)
          && warm.config().hiddenUnits() == config.hiddenUnits()
          && warm.config().hiddenLayers() == config.hiddenLayers();
    }

    TrainingOutcome train(long startNanos) {
      boolean earlyStopping = data.validationRows.length > 0 && config.patience() > 0;
      double bestTau = Double.NEGATIVE_INFINITY;
      float[][] bestParams = null;
      int epochsWithoutImprovement = 0;
      int epoch = 0;
      while (epoch < config.maxEpochs()) {
        runEpoch(cosineLearningRate(epoch));
        epoch++;
        if (earlyStopping) {
          double tau = validationTau();
          if (tau > bestTau) {
            bestTau = tau;
            bestParams = Surrogate.deepCopy(params);
            epochsWithoutImprovement = 0;
          } else if (++epochsWithoutImprovement >= config.patience()) {
            break;
          }
        }
      }
      double tau;
      if (bestParams != null) {
        restore(bestParams);
        tau = bestTau;
      } else {
        tau = data.validationRows.length > 0 ? validationTau() : Double.NaN;
      }
      Surrogate model =
          new Surrogate(
              family, config, shape, data.featureOffset, data.featureScale, params, runtime);
      return new TrainingOutcome(
          model, tau, epoch, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Cosine decay from the configured rate to zero over maxEpochs. */
    private double cosineLearningRate(int epoch) {
      return config.learningRate() * 0.5 * (1.0 + Math.cos(Math.PI * epoch / config.maxEpochs()));
    }

    private void runEpoch(double learningRate) {
      for (int[] batch : data.epochBatches(config.batchSize(), random)) {
        step(batch, learningRate);
      }
    }

    private void step(int[] batchRows, double learningRate) {
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        runner.feed(input, own(owned, data.features(batchRows)));
        runner.feed(target, own(owned, data.lossTargets(batchRows)));
        feedParams(runner, owned);
        if (maskInputs != null) {
          for (Operand<TFloat32> mask : maskInputs) {
            runner.feed(mask, own(owned, dropoutMask(batchRows.length)));
          }
        }
        for (Output<?> gradient : gradients) {
          runner.fetch(gradient);
        }
        float[][] grads = new float[params.length][];
        try (Result result = runner.run()) {
          for (int i = 0; i < params.length; i++) {
            grads[i] = new float[params[i].length];
            ((TFloat32) result.get(i)).copyTo(DataBuffers.of(grads[i], false, false));
          }
        }
        adam.apply(params, grads, learningRate, config.weightDecay());
      } finally {
        owned.forEach(Tensor::close);
      }
    }

    private double validationTau() {
      float[] scores = new float[data.validationRows.length];
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        runner.feed(input, own(owned, data.features(data.validationRows)));
        feedParams(runner, owned);
        try (Result result = runner.fetch(inferenceScores).run()) {
          ((TFloat32) result.get(0)).copyTo(DataBuffers.of(scores, false, false));
        }
      } finally {
        owned.forEach(Tensor::close);
      }
      double[] predicted = new double[scores.length];
      for (int i = 0; i < scores.length; i++) {
        predicted[i] = scores[i];
      }
      double tau = RankMetrics.kendallTau(predicted, data.validationTruth());
      return Double.isNaN(tau) ? -1.0 : tau;
    }

    private void feedParams(Session.Runner runner, List<Tensor> owned) {
      for (int i = 0; i < params.length; i++) {
        runner.feed(
            paramInputs.get(i),
            own(
                owned,
                TFloat32.tensorOf(shapeOf(shapes.get(i)), DataBuffers.of(params[i], true, false))));
      }
    }

    private TFloat32 dropoutMask(int batchRows) {
      float keep = 1f - config.dropout();
      float[] mask = new float[batchRows * config.hiddenUnits()];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = random.nextDouble() < keep ? 1f / keep : 0f;
      }
      return TFloat32.tensorOf(
          Shape.of(batchRows, config.hiddenUnits()), DataBuffers.of(mask, true, false));
    }

    private void restore(float[][] source) {
      for (int i = 0; i < params.length; i++) {
        System.arraycopy(source[i], 0, params[i], 0, params[i].length);
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static <T extends Tensor> T own(List<Tensor> owned, T tensor) {
    owned.add(tensor);
    return tensor;
  }

  private static Shape shapeOf(int[] dims) {
    return Shape.of(java.util.Arrays.stream(dims).asLongStream().toArray());
  }
}
