package io.nassearch.worker.surrogate;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The layout of coded feature rows (wire message {@code CodedRows}): one unsigned byte per field; field {@code f}
 * covers {@code max(1, depth[f])} columns, one-hot for {@code depth > 0}, the code's value for {@code depth == 0}.
 */
public final class FeatureCodes {
  private final int[] depths;
  private final int[] columnOffsets;
  private final int width;

  private FeatureCodes(int[] depths) {
    this.depths = depths.clone();
    this.columnOffsets = new int[depths.length];
    int column = 0;
    for (int f = 0; f < depths.length; f++) {
      if (depths[f] < 0 || depths[f] > 256) {
        throw new IllegalArgumentException("one-hot depth of field " + f + " must be in 0..256, got " + depths[f]);
      }
      columnOffsets[f] = column;
      column += Math.max(1, depths[f]);
    }
    this.width = column;
  }

  /** The layout for {@code depths}, checked to expand to exactly {@code width} columns. */
  public static FeatureCodes of(int[] depths, int width) {
    if (depths == null || depths.length == 0) {
      throw new IllegalArgumentException("coded rows need at least one field");
    }
    FeatureCodes layout = new FeatureCodes(depths);
    if (layout.width != width) {
      throw new IllegalArgumentException("coded layout " + Arrays.toString(depths) + " expands to " + layout.width
          + " columns, the model takes " + width);
    }
    return layout;
  }

  public int fields() {
    return depths.length;
  }

  /** Throws unless {@code codes} holds {@code rows x fields} bytes with every one-hot code below its depth. */
  public void requireValid(ByteBuffer codes, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    long expected = (long) rows * depths.length;
    if (codes.remaining() != expected) {
      throw new IllegalArgumentException("coded rows have " + codes.remaining() + " bytes, expected rows * fields = "
          + rows + " * " + depths.length + " = " + expected);
    }
    int base = codes.position();
    for (int i = 0; i < expected; i++) {
      int f = i % depths.length;
      int code = codes.get(base + i) & 0xFF;
      if (depths[f] > 0 && code >= depths[f]) {
        throw new IllegalArgumentException("code " + code + " at row " + (i / depths.length) + ", field " + f
            + " is out of range for a one-hot field of depth " + depths[f]);
      }
    }
  }

  /** The float features the codes stand for. */
  public float[] expand(ByteBuffer codes, int rows) {
    float[] out = new float[rows * width];
    expandInto(codes, rows, out);
    return out;
  }

  /**
   * Writes the {@code rows x width} features of {@code codes} into the start of {@code dst}, checking every code
   * on the way (one pass over a bulk copy of the codes; this runs once per score batch on the worker).
   */
  void expandInto(ByteBuffer codes, int rows, float[] dst) {
    int fields = depths.length;
    long expected = (long) rows * fields;
    if (rows < 1 || codes.remaining() != expected) {
      requireValid(codes, rows); // throws with the reason
    }
    byte[] raw = CODE_STAGING.get();
    if (raw.length < expected) {
      raw = new byte[(int) Math.max(expected, raw.length * 2L)];
      CODE_STAGING.set(raw);
    }
    codes.duplicate().get(raw, 0, (int) expected);
    java.util.Arrays.fill(dst, 0, rows * width, 0f);
    int i = 0;
    for (int r = 0, row = 0; r < rows; r++, row += width) {
      for (int f = 0; f < fields; f++) {
        int code = raw[i++] & 0xFF;
        int depth = depths[f];
        if (depth == 0) {
          dst[row + columnOffsets[f]] = code;
        } else if (code < depth) {
          dst[row + columnOffsets[f] + code] = 1f;
        } else {
          throw new IllegalArgumentException("code " + code + " at row " + r + ", field " + f
              + " is out of range for a one-hot field of depth " + depth);
        }
      }
    }
  }

  /** Per scoring thread, reused across batches. */
  private static final ThreadLocal<byte[]> CODE_STAGING = ThreadLocal.withInitial(() -> new byte[1 << 16]);
}
