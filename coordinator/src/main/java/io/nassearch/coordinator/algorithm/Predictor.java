package io.nassearch.coordinator.algorithm;

import io.nassearch.api.codes.CodedLayout;
import java.util.concurrent.ExecutionException;

/**
 * Trains surrogate models and scores with them, wherever they run: on workers through the
 * dispatcher in the coordinator, in-process in benchmarks. Targets are higher-is-better; a model's
 * scores are only comparable with its own.
 */
public interface Predictor {
  /**
   * Fits a new model on {@code rows} rows of {@code width} features (row-major) and their targets.
   * The same inputs and seed give the same model.
   */
  Model fit(float[] features, float[] targets, int rows, int width, long seed)
      throws InterruptedException, ExecutionException;

  /**
   * As above, starting from {@code warmStart}'s weights (a model this predictor made, still open)
   * where the implementation can; the default ignores it.
   */
  default Model fit(
      float[] features, float[] targets, int rows, int width, long seed, Model warmStart)
      throws InterruptedException, ExecutionException {
    return fit(features, targets, rows, width, seed);
  }

  /** A trained model. {@link #close} frees it; a closed model is not used again. */
  interface Model extends AutoCloseable {
    /** One score per row of {@code features}. */
    float[] score(float[] features, int rows) throws InterruptedException, ExecutionException;

    /**
     * One score per coded row: a space's compact form, one byte per field, that {@code layout}
     * expands to the features. Models on workers ship the codes as they are (a tenth of the bytes);
     * the default expands here.
     */
    default float[] scoreCoded(CodedLayout layout, byte[] codes, int rows)
        throws InterruptedException, ExecutionException {
      float[] features = new float[rows * layout.width()];
      layout.expand(codes, 0, rows, features, 0);
      return score(features, rows);
    }

    @Override
    default void close() {}
  }
}
