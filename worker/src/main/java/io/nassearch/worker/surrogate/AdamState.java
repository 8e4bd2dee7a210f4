package io.nassearch.worker.surrogate;

import java.util.List;

/** Adam with decoupled (AdamW-style) weight decay on weight matrices; Java owns the moments. */
final class AdamState {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final float[][] mean;
  private final float[][] variance;
  private final List<int[]> shapes;
  private long step;

  /** Fresh moments for parameters of these shapes (rank > 1 means a decayed weight matrix). */
  AdamState(float[][] params, List<int[]> shapes) {
    this.mean = zerosLike(params);
    this.variance = zerosLike(params);
    this.shapes = shapes;
  }

  /** One update of {@code params} in place. */
  void apply(float[][] params, float[][] grads, double learningRate, double weightDecay) {
    step++;
    double meanCorrection = 1.0 - Math.pow(BETA1, step);
    double varianceCorrection = 1.0 - Math.pow(BETA2, step);
    double decay = learningRate * weightDecay;
    for (int i = 0; i < params.length; i++) {
      float[] p = params[i];
      float[] g = grads[i];
      float[] m = mean[i];
      float[] v = variance[i];
      boolean decayed = shapes.get(i).length > 1;
      for (int j = 0; j < p.length; j++) {
        m[j] = (float) (BETA1 * m[j] + (1.0 - BETA1) * g[j]);
        v[j] = (float) (BETA2 * v[j] + (1.0 - BETA2) * g[j] * g[j]);
        double update =
            learningRate
                * (m[j] / meanCorrection)
                / (Math.sqrt(v[j] / varianceCorrection) + EPSILON);
        if (decayed) {
          update += decay * p[j];
        }
        p[j] = (float) (p[j] - update);
      }
    }
  }

  private static float[][] zerosLike(float[][] source) {
    float[][] zeros = new float[source.length][];
    for (int i = 0; i < source.length; i++) {
      zeros[i] = new float[source[i].length];
    }
    return zeros;
  }
}
