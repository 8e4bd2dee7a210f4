package io.nassearch.coordinator.algorithm;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The union of some sets, seen through (not copied), plus what is added to it here, so that
 * excluding what a search already has costs nothing in proportion to its size. Only {@code
 * contains} and {@code add} are fast; the bases are taken to be disjoint, so {@code size} is their
 * sum. Not thread-safe.
 */
public final class UnionView<T> extends AbstractSet<T> {
  private final List<Set<T>> bases;
  private final Set<T> added = new HashSet<>();

  public UnionView(List<Set<T>> bases) {
    this.bases = List.copyOf(bases);
  }

  @Override
  public boolean contains(Object o) {
    if (added.contains(o)) {
      return true;
    }
    for (Set<T> base : bases) {
      if (base.contains(o)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean add(T item) {
    return !contains(item) && added.add(item);
  }

  @Override
  public Iterator<T> iterator() {
    List<T> all = new ArrayList<>(added);
    bases.forEach(all::addAll);
    return all.iterator();
  }

  @Override
  public int size() {
    int size = added.size();
    for (Set<T> base : bases) {
      size += base.size();
    }
    return size;
  }
}
