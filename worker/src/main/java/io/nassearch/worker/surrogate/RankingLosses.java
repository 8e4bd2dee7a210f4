package io.nassearch.worker.surrogate;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Builds each {@link LossKind} as graph ops over a minibatch: scores [B], targets [B] -> scalar
 * loss.
 */
final class RankingLosses {
  private static final float MASKED_OUT = 1e9f;

  private RankingLosses() {}

  /**
   * @param scores model outputs, shape [B]
   * @param targets true values, higher = better, shape [B]; for MSE already standardised by the
   *     caller
   */
  static Operand<TFloat32> build(
      Ops tf, LossKind kind, Operand<TFloat32> scores, Operand<TFloat32> targets) {
    return switch (kind) {
      case MSE -> tf.math.mean(tf.math.square(tf.math.sub(scores, targets)), tf.constant(0));
      case PAIRWISE_LOGISTIC -> pairwise(tf, scores, targets, true);
      case PAIRWISE_HINGE -> pairwise(tf, scores, targets, false);
      case LISTMLE -> listMle(tf, scores, targets);
    };
  }

  /** Mean of f(s_i - s_j) over the pairs with y_i > y_j (0 when the minibatch has no such pair). */
  private static Operand<TFloat32> pairwise(
      Ops tf, Operand<TFloat32> scores, Operand<TFloat32> targets, boolean logistic) {
    Operand<TFloat32> scoreGap = rowMinusColumn(tf, scores);
    Operand<TFloat32> better =
        tf.dtypes.cast(tf.math.greater(column(tf, targets), row(tf, targets)), TFloat32.class);
    Operand<TFloat32> perPair =
        logistic
            ? tf.math.softplus(tf.math.neg(scoreGap))
            : tf.nn.relu(tf.math.sub(tf.constant(1f), scoreGap));
    Operand<TFloat32> pairCount = tf.math.maximum(sumAll(tf, better), tf.constant(1f));
    return tf.math.div(sumAll(tf, tf.math.mul(better, perPair)), pairCount);
  }

  /**
   * Sum over positions i of the true order of [logsumexp over items ranked at or below i - s_i].
   * The order sorts by target descending, ties by minibatch position. Each suffix log-sum-exp
   * subtracts its own (gradient-stopped) maximum.
   */
  private static Operand<TFloat32> listMle(
      Ops tf, Operand<TFloat32> scores, Operand<TFloat32> targets) {
    Operand<TFloat32> targetI = column(tf, targets);
    Operand<TFloat32> targetK = row(tf, targets);
    Operand<TFloat32> ones = tf.onesLike(rowMinusColumn(tf, targets));
    Operand<TBool> laterPosition =
        tf.dtypes.cast(tf.linalg.bandPart(ones, tf.constant(0), tf.constant(-1)), TBool.class);
    Operand<TBool> inSuffix =
        tf.math.logicalOr(
            tf.math.less(targetK, targetI),
            tf.math.logicalAnd(tf.math.equal(targetK, targetI), laterPosition));
    Operand<TFloat32> outsidePenalty =
        tf.math.mul(
            tf.math.sub(tf.constant(1f), tf.dtypes.cast(inSuffix, TFloat32.class)),
            tf.constant(MASKED_OUT));
    Operand<TFloat32> maskedScores =
        tf.math.sub(tf.math.mul(ones, row(tf, scores)), outsidePenalty);
    Operand<TFloat32> suffixMax =
        tf.stopGradient(tf.reduceMax(maskedScores, tf.constant(1), ReduceMax.keepDims(true)));
    Operand<TFloat32> sumExp =
        tf.reduceSum(tf.math.exp(tf.math.sub(maskedScores, suffixMax)), tf.constant(1));
    Operand<TFloat32> suffixLogSumExp =
        tf.math.add(tf.math.log(sumExp), tf.reshape(suffixMax, tf.constant(new int[] {-1})));
    return sumAll(tf, tf.math.sub(suffixLogSumExp, scores));
  }

  /** [B, B] matrix with entry (i, j) = v_i - v_j. */
  private static Operand<TFloat32> rowMinusColumn(Ops tf, Operand<TFloat32> v) {
    return tf.math.sub(column(tf, v), row(tf, v));
  }

  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> v) {
    return tf.expandDims(v, tf.constant(1));
  }

  private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> v) {
    return tf.expandDims(v, tf.constant(0));
  }

  private static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> m) {
    return tf.reduceSum(tf.reshape(m, tf.constant(new int[] {-1})), tf.constant(0));
  }
}
