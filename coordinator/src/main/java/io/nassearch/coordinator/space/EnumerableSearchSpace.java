package io.nassearch.coordinator.space;

/**
 * A finite space whose members are numbered densely {@code 0 .. size()-1}, so tables and "seen"
 * sets can be plain arrays or bitsets indexed by {@link #ordinal}.
 */
public interface EnumerableSearchSpace extends SearchSpace {
  /**
   * The member's number in {@code [0, size())}; throws {@link InvalidArchitectureException} for
   * non-members.
   */
  long ordinal(Architecture a);

  /**
   * The inverse of {@link #ordinal}; throws {@link IllegalArgumentException} outside {@code [0,
   * size())}.
   */
  Architecture fromOrdinal(long ordinal);
}
