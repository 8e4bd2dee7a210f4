package io.nassearch.coordinator.algorithm;

import io.nassearch.coordinator.space.Architecture;

/**
 * Open-addressing hash set of 64-bit architecture keys: 16-21 bytes per architecture at its load
 * factor, against about 150 for a {@code HashSet<Architecture>}. Exact up to key collisions (about
 * n^2 / 2^65 for n architectures).
 */
final class ExactSeenSet implements SeenSet {
  private static final long EMPTY = 0;

  private long[] slots = new long[64];
  private int size;

  /** Key 0 marks an empty slot, so it is stored on the side. */
  private boolean hasZero;

  @Override
  public boolean add(Architecture a) {
    long key = a.key();
    if (key == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 4L > slots.length * 3L) {
      grow();
    }
    if (!insert(slots, key)) {
      return false;
    }
    size++;
    return true;
  }

  private boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (table[i] == key) {
        return false;
      }
      if (table[i] == EMPTY) {
        table[i] = key;
        return true;
      }
    }
  }

  @Override
  public boolean contains(Architecture a) {
    long key = a.key();
    if (key == EMPTY) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == key) {
        return true;
      }
      if (slots[i] == EMPTY) {
        return false;
      }
    }
  }

  @Override
  public boolean approximate() {
    return false;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (long key : old) {
      if (key != EMPTY) {
        insert(slots, key);
      }
    }
  }

  private static int spread(long key) {
    return (int) (key ^ (key >>> 32));
  }
}
