package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Loss values and gradients w.r.t. the scores, through the graph ops the trainer builds. */
class RankingLossesTest {
  private static final float[] SCORES = {1f, 2f, 0.5f};
  private static final float[] TARGETS = {3f, 1f, 2f};
  private static final double TOLERANCE = 1e-5;

  /** Pairs (better, worse) of TARGETS: (0,1), (0,2), (2,1). */
  private static final int[][] PAIRS = {{0, 1}, {0, 2}, {2, 1}};

  @Test
  void mseIsMeanSquaredError() {
    LossAndGradient result = evaluate(LossKind.MSE, SCORES, TARGETS);
    assertEquals((4 + 1 + 2.25) / 3, result.value, TOLERANCE);
    assertArrayEquals(new float[] {-4f / 3, 2f / 3, -3f / 3}, result.gradient, (float) TOLERANCE);
  }

  @Test
  void pairwiseLogisticAveragesSoftplusOverOrderedPairs() {
    double expected = 0;
    double[] gradient = new double[3];
    for (int[] pair : PAIRS) {
      double gap = SCORES[pair[0]] - SCORES[pair[1]];
      expected += Math.log1p(Math.exp(-gap)) / 3;
      double sigmoid = 1 / (1 + Math.exp(gap));
      gradient[pair[0]] -= sigmoid / 3;
      gradient[pair[1]] += sigmoid / 3;
    }
    LossAndGradient result = evaluate(LossKind.PAIRWISE_LOGISTIC, SCORES, TARGETS);
    assertEquals(expected, result.value, TOLERANCE);
    assertArrayEquals(toFloats(gradient), result.gradient, (float) TOLERANCE);
    // Literal check of the same value: (softplus(1) + softplus(-0.5) + softplus(1.5)) / 3.
    assertEquals((1.3132617 + 0.4740770 + 1.7014132) / 3, result.value, TOLERANCE);
  }

  @Test
  void pairwiseHingeAveragesMarginViolations() {
    LossAndGradient result = evaluate(LossKind.PAIRWISE_HINGE, SCORES, TARGETS);
    assertEquals((2 + 0.5 + 2.5) / 3, result.value, TOLERANCE);
    assertArrayEquals(new float[] {-2f / 3, 2f / 3, 0f}, result.gradient, (float) TOLERANCE);
  }

  @Test
  void listMleIsPlackettLuceNegativeLogLikelihood() {
    // True order: index 0 (y=3), 2 (y=2), 1 (y=1); scores in that order: 1, 0.5, 2.
    double lse012 = Math.log(Math.exp(1) + Math.exp(0.5) + Math.exp(2));
    double lse21 = Math.log(Math.exp(0.5) + Math.exp(2));
    double expected = (lse012 - 1) + (lse21 - 0.5) + (2 - 2);
    LossAndGradient result = evaluate(LossKind.LISTMLE, SCORES, TARGETS);
    assertEquals(expected, result.value, TOLERANCE);
    double z1 = Math.exp(1) + Math.exp(0.5) + Math.exp(2);
    double z2 = Math.exp(0.5) + Math.exp(2);
    double[] gradient = {
      Math.exp(1) / z1 - 1,
      Math.exp(2) / z1 + Math.exp(2) / z2 + 1 - 1,
      Math.exp(0.5) / z1 + Math.exp(0.5) / z2 - 1
    };
    assertArrayEquals(toFloats(gradient), result.gradient, (float) TOLERANCE);
  }

  @Test
  void pairwiseLossesIgnoreTiedTargets() {
    float[] targets = {1f, 1f, 0f};
    float[] scores = {0f, 5f, 0f};
    // Only pairs (0,2) and (1,2) count; the tie (0,1) does not.
    LossAndGradient hinge = evaluate(LossKind.PAIRWISE_HINGE, scores, targets);
    assertEquals((1 + 0) / 2.0, hinge.value, TOLERANCE);
    assertArrayEquals(new float[] {-0.5f, 0f, 0.5f}, hinge.gradient, (float) TOLERANCE);
  }

  @Test
  void allTiedMinibatchGivesZeroPairwiseLoss() {
    LossAndGradient result =
        evaluate(LossKind.PAIRWISE_LOGISTIC, new float[] {1f, 2f}, new float[] {4f, 4f});
    assertEquals(0.0, result.value, 0.0);
    assertArrayEquals(new float[] {0f, 0f}, result.gradient, 0f);
  }

  @Test
  void listMleStaysFiniteForExtremeScores() {
    LossAndGradient result =
        evaluate(
            LossKind.LISTMLE, new float[] {-1000f, 1000f, 0f, 80f}, new float[] {4f, 3f, 2f, 1f});
    assertTrue(Double.isFinite(result.value), "loss " + result.value);
    for (float g : result.gradient) {
      assertTrue(Float.isFinite(g), "gradient " + g);
    }
    // Item 0 is best but scored lowest: the first term is ~2000, the others are O(1).
    assertEquals(2000 + (1000 - 1000) + (80 - 0) + 0, result.value, 1.0);
  }

  private record LossAndGradient(double value, float[] gradient) {}

  private static LossAndGradient evaluate(LossKind kind, float[] scores, float[] targets) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> s = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> loss = RankingLosses.build(tf, kind, s, y);
      Output<?>[] gradient = graph.addGradients(loss.asOutput(), new Output<?>[] {s.asOutput()});
      try (Session session = new Session(graph);
          TFloat32 scoreTensor =
              TFloat32.tensorOf(Shape.of(scores.length), DataBuffers.of(scores, true, false));
          TFloat32 targetTensor =
              TFloat32.tensorOf(Shape.of(targets.length), DataBuffers.of(targets, true, false));
          Result result =
              session
                  .runner()
                  .feed(s, scoreTensor)
                  .feed(y, targetTensor)
                  .fetch(loss)
                  .fetch(gradient[0])
                  .run()) {
        float value = ((TFloat32) result.get(0)).getFloat();
        float[] grad = new float[scores.length];
        ((TFloat32) result.get(1)).copyTo(DataBuffers.of(grad, false, false));
        return new LossAndGradient(value, grad);
      }
    }
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
