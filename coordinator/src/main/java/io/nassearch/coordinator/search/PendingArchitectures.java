package io.nassearch.coordinator.search;

import io.nassearch.coordinator.space.Architecture;
import java.util.AbstractSet;
import java.util.Iterator;

/**
 * The architectures of the score batches in flight, as designers see them ({@code pending}): a set
 * whose {@link #contains} looks up the architecture's 64-bit key in an open-addressing table rather
 * than hashing and comparing its choices, with a count per architecture since batches may share
 * one. Not thread-safe.
 */
final class PendingArchitectures extends AbstractSet<Architecture> {
  private long[] keys = new long[1024];
  private int[] counts = new int[1024];
  private Architecture[] items = new Architecture[1024];
  private int size;

  /** Counts {@code a} in {@code times} more times. */
  void add(Architecture a, int times) {
    long key = a.key();
    int i = slot(key);
    if (counts[i] != 0) {
      counts[i] += times;
      return;
    }
    keys[i] = key;
    items[i] = a;
    counts[i] = times;
    size++;
    if (size * 2 > keys.length) {
      grow();
    }
  }

  /** Counts {@code a} out {@code times} times; it leaves the set when no batch holds it. */
  void remove(Architecture a, int times) {
    long key = a.key();
    int i = slot(key);
    if (counts[i] == 0) {
      return;
    }
    counts[i] -= times;
    if (counts[i] > 0) {
      return;
    }
    counts[i] = 0;
    items[i] = null;
    size--;
    // backward-shift deletion keeps every probe sequence unbroken
    int mask = keys.length - 1;
    for (int j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
      int home = home(keys[j]);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        counts[i] = counts[j];
        items[i] = items[j];
        counts[j] = 0;
        items[j] = null;
        i = j;
      }
    }
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof Architecture a && counts[slot(a.key())] != 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<Architecture> iterator() {
    return java.util.Arrays.stream(items).filter(java.util.Objects::nonNull).iterator();
  }

  private int slot(long key) {
    int mask = keys.length - 1;
    int i = home(key);
    while (counts[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int home(long key) {
    return (int) (key ^ (key >>> 32)) & (keys.length - 1);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    Architecture[] oldItems = items;
    keys = new long[oldKeys.length * 2];
    counts = new int[oldKeys.length * 2];
    items = new Architecture[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldCounts[i] != 0) {
        int j = slot(oldKeys[i]);
        keys[j] = oldKeys[i];
        counts[j] = oldCounts[i];
        items[j] = oldItems[i];
      }
    }
  }
}
