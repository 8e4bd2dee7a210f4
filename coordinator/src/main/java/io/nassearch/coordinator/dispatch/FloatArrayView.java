package io.nassearch.coordinator.dispatch;

import java.util.AbstractList;
import java.util.RandomAccess;

/** Read-only List view of a float[] so protobuf can copy it without an intermediate List of boxes. */
final class FloatArrayView extends AbstractList<Float> implements RandomAccess {
  private final float[] values;

  FloatArrayView(float[] values) {
    this.values = values;
  }

  @Override
  public Float get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }
}
