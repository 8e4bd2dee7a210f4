package io.nassearch.coordinator.space.declared;

import io.nassearch.coordinator.space.Architecture;

/** Read access to option positions, so rules can check an architecture without copying it. */
interface IntChoices {
  int get(int decision);

  int size();

  default int[] toArray() {
    int[] out = new int[size()];
    for (int d = 0; d < out.length; d++) {
      out[d] = get(d);
    }
    return out;
  }

  static IntChoices of(int[] choices) {
    return new IntChoices() {
      @Override
      public int get(int decision) {
        return choices[decision];
      }

      @Override
      public int size() {
        return choices.length;
      }
    };
  }

  static IntChoices of(Architecture a) {
    return new IntChoices() {
      @Override
      public int get(int decision) {
        return a.choice(decision);
      }

      @Override
      public int size() {
        return a.size();
      }
    };
  }
}
