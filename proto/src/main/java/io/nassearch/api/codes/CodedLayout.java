package io.nassearch.api.codes;

import java.util.Arrays;
import java.util.List;

/**
 * The layout of coded feature rows (wire message {@code CodedRows}), shared by the coordinator,
 * which encodes them, and the worker, which expands them: one unsigned byte per field; field {@code
 * f} covers {@code max(1, depth)} feature columns, a one-hot of {@code depth} columns for {@code
 * depth > 0} or one column holding the code's value for {@code depth == 0}.
 */
public final class CodedLayout {
  private final int[] oneHotDepths;
  private final int[] columnOffsets;
  private final int width;

  public CodedLayout(int... oneHotDepths) {
    if (oneHotDepths == null || oneHotDepths.length == 0) {
      throw new IllegalArgumentException("coded rows need at least one field");
    }
    this.oneHotDepths = oneHotDepths.clone();
    this.columnOffsets = new int[oneHotDepths.length];
    int column = 0;
    for (int f = 0; f < oneHotDepths.length; f++) {
      if (oneHotDepths[f] < 0 || oneHotDepths[f] > 256) {
        throw new IllegalArgumentException(
            "one-hot depth of field " + f + " must be in 0..256, got " + oneHotDepths[f]);
      }
      columnOffsets[f] = column;
      column += Math.max(1, oneHotDepths[f]);
    }
    this.width = column;
  }

  /** The layout of a {@code CodedRows} message's {@code one_hot_depths}. */
  public static CodedLayout of(List<Integer> oneHotDepths) {
    return new CodedLayout(oneHotDepths.stream().mapToInt(Integer::intValue).toArray());
  }

  public int fields() {
    return oneHotDepths.length;
  }

  /** Float columns the codes expand to. */
  public int width() {
    return width;
  }

  public int[] oneHotDepths() {
    return oneHotDepths.clone();
  }

  /**
   * Throws unless {@code codes} bytes are exactly {@code rows x fields()}, with {@code rows >= 1}.
   */
  public void requireCodes(long codes, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    long expected = (long) rows * oneHotDepths.length;
    if (codes != expected) {
      throw new IllegalArgumentException(
          "coded rows have "
              + codes
              + " bytes, expected rows * fields = "
              + rows
              + " * "
              + oneHotDepths.length
              + " = "
              + expected);
    }
  }

  /**
   * Writes the {@code rows x width()} features of the codes at {@code codes[codesOffset..]} into
   * {@code dst[dstOffset..]} (zeroed first), checking every one-hot code against its depth on the
   * way.
   */
  public void expand(byte[] codes, int codesOffset, int rows, float[] dst, int dstOffset) {
    Arrays.fill(dst, dstOffset, dstOffset + rows * width, 0f);
    int fields = oneHotDepths.length;
    int i = codesOffset;
    for (int r = 0, row = dstOffset; r < rows; r++, row += width) {
      for (int f = 0; f < fields; f++) {
        int code = codes[i++] & 0xFF;
        int depth = oneHotDepths[f];
        if (depth == 0) {
          dst[row + columnOffsets[f]] = code;
        } else if (code < depth) {
          dst[row + columnOffsets[f] + code] = 1f;
        } else {
          throw new IllegalArgumentException(
              "code "
                  + code
                  + " at row "
                  + r
                  + ", field "
                  + f
                  + " is out of range for a one-hot field of depth "
                  + depth);
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodedLayout other && Arrays.equals(oneHotDepths, other.oneHotDepths);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(oneHotDepths);
  }

  @Override
  public String toString() {
    return "CodedLayout" + Arrays.toString(oneHotDepths);
  }
}
