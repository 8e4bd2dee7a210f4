package io.nassearch.worker.surrogate;

/** Argument checks shared by training and scoring. */
final class Inputs {
  private Inputs() {}

  static void requireMatrix(String name, float[] values, int rows, int width, int minRows) {
    if (rows < minRows) {
      throw new IllegalArgumentException("rows must be >= " + minRows + ", got " + rows);
    }
    if (width < 1) {
      throw new IllegalArgumentException("width must be >= 1, got " + width);
    }
    if (values == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    long expected = (long) rows * width;
    if (values.length != expected) {
      throw new IllegalArgumentException(
          name
              + " has "
              + values.length
              + " floats, expected rows * width = "
              + rows
              + " * "
              + width
              + " = "
              + expected);
    }
    requireFinite(name, values, width);
  }

  static void requireFinite(String name, float[] values, int width) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            name
                + " has non-finite value "
                + values[i]
                + " at row "
                + (i / width)
                + ", column "
                + (i % width));
      }
    }
  }
}
