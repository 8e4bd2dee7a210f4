package io.nassearch.worker.surrogate;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.api.model.ModelEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A trained surrogate: maps feature rows to scores, higher = better. The graph is built once;
 * {@link #score} is thread-safe and may be called concurrently. Weights are graph constants, so
 * equal bytes and equal {@link SurrogateRuntime} give bitwise equal scores.
 */
public final class Surrogate implements AutoCloseable {
  private static final int MAGIC = ModelEnvelope.MAGIC;
  private static final int FORMAT_VERSION = ModelEnvelope.FORMAT_VERSION;
  private static final int MAX_INPUT_WIDTH = 1 << 20;

  /**
   * Per scoring thread, reused across batches: coded rows are copied, then expanded here on their
   * way into a tensor.
   */
  private static final ThreadLocal<byte[]> CODE_STAGING =
      ThreadLocal.withInitial(() -> new byte[1 << 14]);

  private static final ThreadLocal<float[]> FEATURE_STAGING =
      ThreadLocal.withInitial(() -> new float[1 << 16]);

  private final ModelFamily family;
  private final SurrogateConfig config;
  private final InputShape shape;
  private final float[] featureOffset;
  private final float[] featureScale;
  private final float[][] parameters;
  private final SurrogateRuntime runtime;
  private final Graph graph;
  private final Session session;
  private final Operand<TFloat32> input;
  private final Operand<TFloat32> output;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  Surrogate(
      ModelFamily family,
      SurrogateConfig config,
      InputShape shape,
      float[] featureOffset,
      float[] featureScale,
      float[][] parameters,
      SurrogateRuntime runtime) {
    this.family = family;
    this.config = config;
    this.shape = shape;
    int inputWidth = shape.width();
    this.featureOffset = featureOffset.clone();
    this.featureScale = featureScale.clone();
    this.parameters = deepCopy(parameters);
    this.runtime = runtime;
    Graph g = new Graph();
    try {
      Ops tf = Ops.create(g);
      List<int[]> shapes = family.parameterShapes(config, shape);
      List<Operand<TFloat32>> weights = new ArrayList<>(shapes.size());
      for (int i = 0; i < shapes.size(); i++) {
        weights.add(constant(tf, shapes.get(i), this.parameters[i]));
      }
      this.input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, inputWidth)));
      Operand<TFloat32> standardized =
          standardize(tf, input, this.featureOffset, this.featureScale);
      this.output = tf.identity(family.forward(tf, standardized, weights, null, shape));
      this.graph = g;
      this.session = new Session(g, runtime.toConfigProto());
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** A copy of the weights, in the family's parameter order (warm starts). */
  float[][] parametersCopy() {
    return deepCopy(parameters);
  }

  public ModelFamily family() {
    return family;
  }

  /** Feature width this model was trained on. */
  public int inputWidth() {
    return shape.width();
  }

  /** How this model reads a row: flat, or a graph of how many nodes. */
  public InputShape inputShape() {
    return shape;
  }

  public SurrogateConfig config() {
    return config;
  }

  public SurrogateRuntime runtime() {
    return runtime;
  }

  /**
   * Scores {@code rows} feature rows (row-major, {@code rows * inputWidth()} floats).
   *
   * @throws IllegalArgumentException on a wrong length, rows < 1 or a non-finite feature
   * @throws IllegalStateException after {@link #close()}
   */
  public float[] score(float[] features, int rows) {
    Inputs.requireMatrix("features", features, rows, shape.width(), 1);
    return run(DataBuffers.of(features, true, false), rows);
  }

  /**
   * Scores {@code rows} rows given as one byte code per field (see {@link CodedLayout}), expanded
   * into a feature buffer this thread reuses, so nothing per row or per batch is allocated besides
   * the scores.
   *
   * <p>Expanding inside the TensorFlow graph instead (scatter, or one-hot plus gather) measured
   * 0.63 to 0.77x of float scoring on CPU for the NAS-Bench-201 MLP, while this costs a few
   * percent.
   *
   * @throws IllegalArgumentException if the layout does not add up to {@link #inputWidth()}, the
   *     code count is not {@code rows x fields} or a one-hot code is out of its range
   */
  public float[] scoreCoded(ByteBuffer codes, int rows, CodedLayout layout) {
    int inputWidth = shape.width();
    if (layout.width() != inputWidth) {
      throw new IllegalArgumentException(
          "coded layout "
              + Arrays.toString(layout.oneHotDepths())
              + " expands to "
              + layout.width()
              + " columns, the model takes "
              + inputWidth);
    }
    layout.requireCodes(codes.remaining(), rows);
    int codeCount = codes.remaining();
    byte[] raw = CODE_STAGING.get();
    if (raw.length < codeCount) {
      raw = new byte[Math.max(codeCount, raw.length * 2)];
      CODE_STAGING.set(raw);
    }
    codes.duplicate().get(raw, 0, codeCount);
    int size = Math.multiplyExact(rows, inputWidth);
    float[] staging = FEATURE_STAGING.get();
    if (staging.length < size) {
      staging = new float[Math.max(size, staging.length * 2)];
      FEATURE_STAGING.set(staging);
    }
    layout.expand(raw, 0, rows, staging, 0);
    return run(DataBuffers.of(staging, true, false).narrow(size), rows);
  }

  private float[] run(FloatDataBuffer features, int rows) {
    float[] scores = new float[rows];
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("surrogate is closed");
      }
      try (TFloat32 batch = TFloat32.tensorOf(Shape.of(rows, shape.width()), features);
          Result result = session.runner().feed(input, batch).fetch(output).run()) {
        ((TFloat32) result.get(0)).copyTo(DataBuffers.of(scores, false, false));
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return scores;
  }

  /**
   * Self-contained binary form: magic, version, family, config, input width (and, for a graph
   * family, its node count), scaling, weights, CRC32.
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(family.id());
      out.writeInt(config.loss().toProto().getNumber());
      out.writeInt(config.hiddenUnits());
      out.writeInt(config.hiddenLayers());
      out.writeFloat(config.dropout());
      out.writeFloat(config.weightDecay());
      out.writeFloat(config.learningRate());
      out.writeInt(config.maxEpochs());
      out.writeInt(config.batchSize());
      out.writeInt(config.patience());
      out.writeFloat(config.validationFraction());
      out.writeInt(shape.width());
      if (family.readsGraphsOnly()) {
        out.writeInt(shape.graphNodes());
      }
      writeFloats(out, featureOffset);
      writeFloats(out, featureScale);
      List<int[]> shapes = family.parameterShapes(config, shape);
      out.writeInt(shapes.size());
      for (int i = 0; i < shapes.size(); i++) {
        int[] shape = shapes.get(i);
        out.writeInt(shape.length);
        for (int dim : shape) {
          out.writeInt(dim);
        }
        writeFloats(out, parameters[i]);
      }
      CRC32 crc = new CRC32();
      out.flush();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Loads bytes from {@link #toBytes()} with single-threaded sessions. */
  public static Surrogate fromBytes(byte[] bytes) {
    return fromBytes(bytes, SurrogateRuntime.singleThreaded());
  }

  /**
   * @throws ModelFormatException if the bytes are not a complete, uncorrupted surrogate of a known
   *     format version
   */
  public static Surrogate fromBytes(byte[] bytes, SurrogateRuntime runtime) {
    if (bytes == null) {
      throw new ModelFormatException("model bytes are null");
    }
    if (bytes.length < 12) {
      throw new ModelFormatException(
          "model bytes truncated: " + bytes.length + " bytes is shorter than any header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new ModelFormatException(
          String.format("not a surrogate model: magic 0x%08X, expected 0x%08X", magic, MAGIC));
    }
    int version = in.getInt();
    if (version != FORMAT_VERSION) {
      throw new ModelFormatException(
          "unsupported model format version " + version + ", expected " + FORMAT_VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int storedCrc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if (storedCrc != (int) crc.getValue()) {
      throw new ModelFormatException("model bytes corrupt or truncated: CRC32 mismatch");
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, 8, bytes.length - 12).slice();
    try {
      ModelFamily family = ModelFamily.fromId(body.getInt());
      int lossNumber = body.getInt();
      io.nassearch.api.v1.Loss loss = io.nassearch.api.v1.Loss.forNumber(lossNumber);
      if (loss == null || loss == io.nassearch.api.v1.Loss.LOSS_UNSPECIFIED) {
        throw new ModelFormatException("unknown loss number " + lossNumber);
      }
      SurrogateConfig config =
          new SurrogateConfig(
              LossKind.fromProto(loss),
              body.getInt(),
              body.getInt(),
              body.getFloat(),
              body.getFloat(),
              body.getFloat(),
              body.getInt(),
              body.getInt(),
              body.getInt(),
              body.getFloat(),
              family);
      int inputWidth = body.getInt();
      if (inputWidth < 1 || inputWidth > MAX_INPUT_WIDTH) {
        throw new ModelFormatException(
            "input width " + inputWidth + " out of range 1.." + MAX_INPUT_WIDTH);
      }
      InputShape shape =
          family.readsGraphsOnly()
              ? new InputShape(inputWidth, body.getInt())
              : InputShape.flat(inputWidth);
      float[] offset = readFloats(body, inputWidth, "feature offset");
      float[] scale = readFloats(body, inputWidth, "feature scale");
      List<int[]> expected = family.parameterShapes(config, shape);
      int count = body.getInt();
      if (count != expected.size()) {
        throw new ModelFormatException(
            "model has " + count + " tensors, its config needs " + expected.size());
      }
      float[][] params = new float[count][];
      for (int i = 0; i < count; i++) {
        int rank = body.getInt();
        if (rank != expected.get(i).length) {
          throw new ModelFormatException(
              "tensor " + i + " has rank " + rank + ", expected " + expected.get(i).length);
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
          dims[d] = body.getInt();
        }
        if (!Arrays.equals(dims, expected.get(i))) {
          throw new ModelFormatException(
              "tensor "
                  + i
                  + " has shape "
                  + Arrays.toString(dims)
                  + ", expected "
                  + Arrays.toString(expected.get(i)));
        }
        params[i] = readFloats(body, ModelFamily.elementCount(dims), "tensor " + i);
      }
      if (body.hasRemaining()) {
        throw new ModelFormatException(body.remaining() + " unexpected trailing bytes");
      }
      return new Surrogate(family, config, shape, offset, scale, params, runtime);
    } catch (BufferUnderflowException e) {
      throw new ModelFormatException("model bytes truncated", e);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("model bytes inconsistent: " + e.getMessage(), e);
    }
  }

  /** Frees the TensorFlow session and graph; waits for running {@link #score} calls. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
        graph.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  static Operand<TFloat32> standardize(Ops tf, Operand<TFloat32> x, float[] offset, float[] scale) {
    int width = offset.length;
    return tf.math.mul(
        tf.math.sub(x, constant(tf, new int[] {width}, offset)),
        constant(tf, new int[] {width}, scale));
  }

  static Operand<TFloat32> constant(Ops tf, int[] shape, float[] values) {
    long[] dims = Arrays.stream(shape).asLongStream().toArray();
    return tf.constant(Shape.of(dims), DataBuffers.of(values, true, false));
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
    buffer.asFloatBuffer().put(values);
    out.write(buffer.array());
  }

  private static float[] readFloats(ByteBuffer in, int count, String what) {
    if ((long) count * Float.BYTES > in.remaining()) {
      throw new ModelFormatException("model bytes truncated in " + what);
    }
    float[] values = new float[count];
    in.asFloatBuffer().get(values);
    in.position(in.position() + count * Float.BYTES);
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new ModelFormatException("non-finite value in " + what);
      }
    }
    return values;
  }

  static float[][] deepCopy(float[][] source) {
    float[][] copy = new float[source.length][];
    for (int i = 0; i < source.length; i++) {
      copy[i] = source[i].clone();
    }
    return copy;
  }
}
