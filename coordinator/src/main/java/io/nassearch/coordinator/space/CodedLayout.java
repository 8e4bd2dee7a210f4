package io.nassearch.coordinator.space;

import java.util.Arrays;

/**
 * The compact form of a space's feature encoding: one unsigned byte per field, expanded on the worker (wire
 * message {@code CodedRows}). Field {@code f} covers {@code max(1, depth)} columns: a one-hot of {@code depth}
 * columns for {@code depth > 0}, or one column holding the code's value for {@code depth == 0}.
 */
public final class CodedLayout {
  private final int[] oneHotDepths;
  private final int[] columnOffsets;
  private final int width;

  public CodedLayout(int... oneHotDepths) {
    if (oneHotDepths.length == 0) {
      throw new IllegalArgumentException("a coded layout needs at least one field");
    }
    this.oneHotDepths = oneHotDepths.clone();
    this.columnOffsets = new int[oneHotDepths.length];
    int column = 0;
    for (int f = 0; f < oneHotDepths.length; f++) {
      if (oneHotDepths[f] < 0 || oneHotDepths[f] > 256) {
        throw new IllegalArgumentException("one-hot depth must be in 0..256, got " + oneHotDepths[f]);
      }
      columnOffsets[f] = column;
      column += Math.max(1, oneHotDepths[f]);
    }
    this.width = column;
  }

  public int fields() {
    return oneHotDepths.length;
  }

  /** Float columns the codes expand to; equals the space's {@code encodingWidth()}. */
  public int width() {
    return width;
  }

  public int[] oneHotDepths() {
    return oneHotDepths.clone();
  }

  /** Writes the float features of {@code rows} coded rows into {@code dst} (zeroed here). */
  public void expand(byte[] codes, int rows, float[] dst) {
    Arrays.fill(dst, 0, rows * width, 0f);
    int n = oneHotDepths.length;
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < n; f++) {
        int code = codes[r * n + f] & 0xFF;
        if (oneHotDepths[f] > 0) {
          dst[r * width + columnOffsets[f] + code] = 1f;
        } else {
          dst[r * width + columnOffsets[f]] = code;
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
