package io.nassearch.worker.surrogate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TFloat32;

/**
 * The GIN family's network over a cell DAG. Each of {@code hiddenLayers} layers updates every node
 * as {@code relu((h + sum of predecessors' h) Wa + (sum of successors' h) Wb + b)}, so information
 * flows both along and against the edges; nodes without features (padding) stay zero. A sum over
 * the nodes, one hidden layer (with dropout) and a linear output give the score. Sums make the
 * score independent of node order, up to float rounding.
 *
 * <p>Tensors per layer: Wa [in, hidden], Wb [in, hidden], b [hidden]; then the head: [hidden,
 * hidden], [hidden], [hidden, 1], [1].
 */
final class GraphNetwork {
  private GraphNetwork() {}

  static List<int[]> parameterShapes(SurrogateConfig config, InputShape shape) {
    if (!shape.isGraph()) {
      throw new IllegalArgumentException("the gin family needs graph rows, got flat rows");
    }
    List<int[]> shapes = new ArrayList<>();
    int in = shape.nodeFeatures();
    int hidden = config.hiddenUnits();
    for (int layer = 0; layer < config.hiddenLayers(); layer++) {
      shapes.add(new int[] {in, hidden});
      shapes.add(new int[] {in, hidden});
      shapes.add(new int[] {hidden});
      in = hidden;
    }
    shapes.add(new int[] {hidden, hidden});
    shapes.add(new int[] {hidden});
    shapes.add(new int[] {hidden, 1});
    shapes.add(new int[] {1});
    return List.copyOf(shapes);
  }

  /** He-uniform matrices (unit gain for the output), zero biases. */
  static float[][] initialParameters(
      SurrogateConfig config, InputShape shape, SplittableRandom random) {
    List<int[]> shapes = parameterShapes(config, shape);
    float[][] params = new float[shapes.size()][];
    for (int i = 0; i < shapes.size(); i++) {
      int[] s = shapes.get(i);
      params[i] = new float[ModelFamily.elementCount(s)];
      if (s.length == 2) {
        double gain = i == shapes.size() - 2 ? 1.0 : 2.0;
        double limit = Math.sqrt(3.0 * gain / s[0]);
        for (int j = 0; j < params[i].length; j++) {
          params[i][j] = (float) ((random.nextDouble() * 2.0 - 1.0) * limit);
        }
      }
    }
    return params;
  }

  static Operand<TFloat32> forward(
      Ops tf,
      Operand<TFloat32> input,
      List<Operand<TFloat32>> params,
      List<Operand<TFloat32>> dropoutMasks,
      InputShape shape) {
    int n = shape.graphNodes();
    int f = shape.nodeFeatures();
    Operand<TFloat32> rows = tf.reshape(input, tf.constant(new int[] {-1, n, f + n}));
    Operand<TFloat32> h =
        tf.slice(rows, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, n, f}));
    Operand<TFloat32> adjacency =
        tf.slice(rows, tf.constant(new int[] {0, 0, f}), tf.constant(new int[] {-1, n, n}));
    Operand<TFloat32> present =
        tf.dtypes.cast(
            tf.math.greater(
                tf.reduceMax(tf.math.abs(h), tf.constant(2), ReduceMax.keepDims(true)),
                tf.constant(0f)),
            TFloat32.class);
    Operand<TFloat32> edges = tf.expandDims(adjacency, tf.constant(3)); // [B, from, to, 1]
    int layers = (params.size() - 4) / 3;
    int width = f;
    for (int layer = 0; layer < layers; layer++) {
      Operand<TFloat32> fromPredecessors =
          tf.reduceSum(tf.math.mul(edges, tf.expandDims(h, tf.constant(2))), tf.constant(1));
      Operand<TFloat32> fromSuccessors =
          tf.reduceSum(tf.math.mul(edges, tf.expandDims(h, tf.constant(1))), tf.constant(2));
      int hidden = (int) params.get(3 * layer + 2).shape().size(0);
      Operand<TFloat32> z =
          tf.math.add(
              nodeDense(tf, tf.math.add(h, fromPredecessors), params.get(3 * layer), width, n),
              nodeDense(tf, fromSuccessors, params.get(3 * layer + 1), width, n));
      h = tf.math.mul(tf.nn.relu(tf.nn.biasAdd(z, params.get(3 * layer + 2))), present);
      width = hidden;
    }
    Operand<TFloat32> graph = tf.reduceSum(h, tf.constant(1));
    int head = 3 * layers;
    Operand<TFloat32> hidden =
        tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(graph, params.get(head)), params.get(head + 1)));
    if (dropoutMasks != null) {
      hidden = tf.math.mul(hidden, dropoutMasks.get(0));
    }
    Operand<TFloat32> out =
        tf.nn.biasAdd(tf.linalg.matMul(hidden, params.get(head + 2)), params.get(head + 3));
    return tf.reshape(out, tf.constant(new int[] {-1}));
  }

  /** [B, nodes, in] x [in, out] -> [B, nodes, out]. */
  private static Operand<TFloat32> nodeDense(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, int in, int nodes) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
    Operand<TFloat32> product = tf.linalg.matMul(flat, w);
    return tf.reshape(product, tf.constant(new int[] {-1, nodes, (int) w.shape().size(1)}));
  }
}
