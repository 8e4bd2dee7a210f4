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

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture other && Arrays.equals(choices, other.choices);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(choices);
  }

  @Override
  public String toString() {
    return "Architecture" + Arrays.toString(choices);
  }
}
