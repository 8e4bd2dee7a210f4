package io.nassearch.worker.surrogate;

import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Network architecture of a surrogate. The trainer, the scorer and the file format only see
 * parameter shapes and a forward function; each family has its own id in the saved bytes.
 */
public enum ModelFamily {
  /** Fully connected ReLU network on the flat encoding, scalar output. */
  MLP(1, io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_MLP) {
    @Override
    List<int[]> parameterShapes(SurrogateConfig config, InputShape shape) {
      List<int[]> shapes = new java.util.ArrayList<>();
      int fanIn = shape.width();
      for (int layer = 0; layer < config.hiddenLayers(); layer++) {
        shapes.add(new int[] {fanIn, config.hiddenUnits()});
        shapes.add(new int[] {config.hiddenUnits()});
        fanIn = config.hiddenUnits();
      }
      shapes.add(new int[] {fanIn, 1});
      shapes.add(new int[] {1});
      return List.copyOf(shapes);
    }

    @Override
    float[][] initialParameters(SurrogateConfig config, InputShape shape, SplittableRandom random) {
      List<int[]> shapes = parameterShapes(config, shape);
      float[][] params = new float[shapes.size()][];
      for (int i = 0; i < shapes.size(); i++) {
        int[] dims = shapes.get(i);
        params[i] = new float[elementCount(dims)];
        if (dims.length == 2) {
          boolean outputLayer = i == shapes.size() - 2;
          double gain = outputLayer ? 1.0 : 2.0;
          double limit = Math.sqrt(3.0 * gain / dims[0]);
          for (int j = 0; j < params[i].length; j++) {
            params[i][j] = (float) ((random.nextDouble() * 2.0 - 1.0) * limit);
          }
        }
      }
      return params;
    }

    @Override
    int hiddenMaskCount(SurrogateConfig config) {
      return config.hiddenLayers();
    }

    @Override
    Operand<TFloat32> forward(
        Ops tf,
        Operand<TFloat32> input,
        List<Operand<TFloat32>> params,
        List<Operand<TFloat32>> dropoutMasks,
        InputShape shape) {
      Operand<TFloat32> activation = input;
      int hiddenLayers = params.size() / 2 - 1;
      for (int layer = 0; layer < hiddenLayers; layer++) {
        activation =
            tf.nn.relu(
                tf.nn.biasAdd(
                    tf.linalg.matMul(activation, params.get(2 * layer)),
                    params.get(2 * layer + 1)));
        if (dropoutMasks != null) {
          activation = tf.math.mul(activation, dropoutMasks.get(layer));
        }
      }
      Operand<TFloat32> out =
          tf.nn.biasAdd(
              tf.linalg.matMul(activation, params.get(2 * hiddenLayers)),
              params.get(2 * hiddenLayers + 1));
      return tf.reshape(out, tf.constant(new int[] {-1}));
    }
  },

  /**
   * Message passing over the cell DAG ({@link GraphNetwork}); reads graph rows only, unscaled (a
   * per-column scaling would tell nodes apart by position).
   */
  GIN(2, io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_GIN) {
    @Override
    List<int[]> parameterShapes(SurrogateConfig config, InputShape shape) {
      return GraphNetwork.parameterShapes(config, shape);
    }

    @Override
    float[][] initialParameters(SurrogateConfig config, InputShape shape, SplittableRandom random) {
      return GraphNetwork.initialParameters(config, shape, random);
    }

    @Override
    int hiddenMaskCount(SurrogateConfig config) {
      return 1;
    }

    @Override
    Operand<TFloat32> forward(
        Ops tf,
        Operand<TFloat32> input,
        List<Operand<TFloat32>> params,
        List<Operand<TFloat32>> dropoutMasks,
        InputShape shape) {
      return GraphNetwork.forward(tf, input, params, dropoutMasks, shape);
    }

    @Override
    public boolean reads(io.nassearch.api.v1.InputLayout.KindCase layout) {
      return layout == io.nassearch.api.v1.InputLayout.KindCase.GRAPH;
    }

    @Override
    boolean scalesFeatures() {
      return false;
    }
  };

  private final int id;
  private final io.nassearch.api.v1.ModelFamily proto;

  ModelFamily(int id, io.nassearch.api.v1.ModelFamily proto) {
    this.id = id;
    this.proto = proto;
  }

  int id() {
    return id;
  }

  /**
   * The family a spec asks for (UNSPECIFIED is MLP); {@link IllegalArgumentException} for one this
   * worker lacks.
   */
  public static ModelFamily fromProto(io.nassearch.api.v1.ModelFamily family) {
    return switch (family) {
      case MODEL_FAMILY_UNSPECIFIED, MODEL_FAMILY_MLP -> MLP;
      case MODEL_FAMILY_GIN -> GIN;
      default -> throw new IllegalArgumentException("family: unknown model family " + family);
    };
  }

  public io.nassearch.api.v1.ModelFamily toProto() {
    return proto;
  }

  /**
   * Whether this family reads rows laid out as {@code layout}. An MLP reads any row as a flat
   * vector; a graph family needs graph rows.
   */
  public boolean reads(io.nassearch.api.v1.InputLayout.KindCase layout) {
    return true;
  }

  /** Whether this family needs graph rows (its saved bytes then hold the node count). */
  public boolean readsGraphsOnly() {
    return !reads(io.nassearch.api.v1.InputLayout.KindCase.FLAT);
  }

  /**
   * How this family reads rows of {@code width} laid out as {@code layout}: an MLP reads every row
   * flat.
   */
  public InputShape shapeOf(io.nassearch.api.v1.InputLayout layout, int width) {
    if (layout.getKindCase() == io.nassearch.api.v1.InputLayout.KindCase.GRAPH
        && readsGraphsOnly()) {
      InputShape shape =
          InputShape.graph(layout.getGraph().getNodes(), layout.getGraph().getNodeFeatures());
      if (shape.width() != width) {
        throw new IllegalArgumentException(
            "width " + width + " must be input.graph.nodes x (node_features + nodes)");
      }
      return shape;
    }
    return InputShape.flat(width);
  }

  /** Whether training fits a per-column standardisation of the features. */
  boolean scalesFeatures() {
    return true;
  }

  static ModelFamily fromId(int id) {
    for (ModelFamily family : values()) {
      if (family.id == id) {
        return family;
      }
    }
    throw new ModelFormatException("unknown model family id " + id);
  }

  /** Shapes of all trainable tensors, in the order {@link #forward} expects them. */
  abstract List<int[]> parameterShapes(SurrogateConfig config, InputShape shape);

  abstract float[][] initialParameters(
      SurrogateConfig config, InputShape shape, SplittableRandom random);

  /** Number of dropout masks, each of shape [rows, hiddenUnits]. */
  abstract int hiddenMaskCount(SurrogateConfig config);

  /** Scores of shape [rows]; {@code dropoutMasks} null means inference (no dropout). */
  abstract Operand<TFloat32> forward(
      Ops tf,
      Operand<TFloat32> input,
      List<Operand<TFloat32>> params,
      List<Operand<TFloat32>> dropoutMasks,
      InputShape shape);

  static int elementCount(int[] shape) {
    long count = 1;
    for (int dim : shape) {
      count *= dim;
    }
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor too large: " + java.util.Arrays.toString(shape));
    }
    return (int) count;
  }
}
