package io.nassearch.launcher.bench;

import io.nassearch.coordinator.algorithm.Predictor;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;

/**
 * Trains and scores TensorFlow surrogates in this JVM, one thread each: the benchmark harness's
 * predictor.
 */
final class InProcessPredictor implements Predictor {
  private final SurrogateConfig config;

  InProcessPredictor(SurrogateConfig config) {
    this.config = config;
  }

  @Override
  public Model fit(float[] features, float[] targets, int rows, int width, long seed) {
    return fit(features, targets, rows, width, seed, null);
  }

  @Override
  public Model fit(
      float[] features, float[] targets, int rows, int width, long seed, Model warmStart) {
    Surrogate start = warmStart instanceof LocalModel local ? local.surrogate : null;
    return new LocalModel(
        SurrogateTrainer.train(
                config,
                features,
                rows,
                width,
                targets,
                seed,
                SurrogateRuntime.singleThreaded(),
                start)
            .model());
  }

  private record LocalModel(Surrogate surrogate) implements Model {
    @Override
    public float[] score(float[] x, int n) {
      return surrogate.score(x, n);
    }

    @Override
    public void close() {
      surrogate.close();
    }
  }
}
