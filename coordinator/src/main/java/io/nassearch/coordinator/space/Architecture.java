package io.nassearch.coordinator.space;

import java.util.Arrays;

/**
 * One point of a categorical search space: the chosen option index for each decision, in the
 * space's decision order. Immutable; arrays are copied in and out. Which decisions and options
 * exist is the space's business ({@link SearchSpace#contains}); this class only requires
 * non-negative choices.
 */
public final class Architecture {
  private final int[] choices;

  /** Cached {@link #key} and {@link #hashCode}; 0 until computed (a real 0 is just recomputed). */
  private long key;

  private int hash;

  private Architecture(int[] choices) {
    for (int i = 0; i < choices.length; i++) {
      if (choices[i] < 0) {
        throw new IllegalArgumentException("choice " + i + " is negative: " + choices[i]);
      }
    }
    this.choices = choices;
  }

  public static Architecture of(int... choices) {
    return new Architecture(choices.clone());
  }

  public int choice(int i) {
    return choices[i];
  }

  public int size() {
    return choices.length;
  }

  public int[] choices() {
    return choices.clone();
  }

  /** A copy with decision {@code i} set to {@code choice}. */
  public Architecture with(int i, int choice) {
    int[] copy = choices.clone();
    copy[i] = choice;
    return new Architecture(copy);
  }

  /**
   * A 64-bit hash of the choices for compact sets of seen architectures: two different
   * architectures share one with probability about 2^-64 (n distinct ones collide somewhere with
   * probability about n^2 / 2^65).
   */
  public long key() {
    if (key == 0) {
      key = computeKey();
    }
    return key;
  }

  private long computeKey() {
    long h = 0x9E3779B97F4A7C15L ^ choices.length;
    for (int c : choices) {
      h = Long.rotateLeft(h ^ (c * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture other && Arrays.equals(choices, other.choices);
  }

  @Override
  public int hashCode() {
    if (hash == 0) {
      hash = Arrays.hashCode(choices);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "Architecture" + Arrays.toString(choices);
  }
}
