package io.nassearch.coordinator.space.declared;

import io.nassearch.coordinator.space.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Sampling and one-decision moves in a declared space, inside its members when a table lists them.
 */
final class Moves {
  private final List<DeclaredSpace.Decision> decisions;

  /** Members in ordinal order, or null when every combination is one. */
  private final List<Architecture> members;

  private final Predicate<Architecture> contains;

  /** Rules on the combinations when membership is all but constrained; else null. */
  private final Constraints constraints;

  Moves(
      List<DeclaredSpace.Decision> decisions,
      List<Architecture> members,
      Predicate<Architecture> contains,
      Constraints constraints) {
    this.decisions = decisions;
    this.members = members;
    this.contains = contains;
    this.constraints = members == null ? constraints : null;
  }

  Architecture sample(RandomGenerator rng) {
    if (members != null) {
      return members.get(rng.nextInt(members.size()));
    }
    if (constraints != null) {
      return constraints.sample(rng);
    }
    int[] choices = new int[decisions.size()];
    for (int d = 0; d < choices.length; d++) {
      choices[d] = rng.nextInt(decisions.get(d).options().size());
    }
    return Architecture.of(choices);
  }

  /**
   * With every combination a member: one decision, then one of its other options, uniformly (two
   * draws). With table membership: a uniform pick among {@link #neighbours}.
   */
  Architecture mutate(Architecture a, RandomGenerator rng) {
    if (constraints != null) {
      return constraints.mutate(a, rng);
    }
    if (members == null) {
      int d = rng.nextInt(decisions.size());
      int n = decisions.get(d).options().size();
      return a.with(d, (a.choice(d) + 1 + rng.nextInt(n - 1)) % n);
    }
    List<Architecture> options = neighbours(a);
    return options.isEmpty() ? a : options.get(rng.nextInt(options.size()));
  }

  /**
   * The members one decision away; with table membership and none such, the nearest members by
   * Hamming distance.
   */
  List<Architecture> neighbours(Architecture a) {
    if (constraints != null) {
      return constraints.neighbours(a);
    }
    List<Architecture> out = new ArrayList<>();
    for (Architecture n : singleChanges(a)) {
      if (contains.test(n)) {
        out.add(n);
      }
    }
    return out.isEmpty() && members != null ? nearestMembers(a) : out;
  }

  private List<Architecture> singleChanges(Architecture a) {
    List<Architecture> out = new ArrayList<>();
    for (int d = 0; d < decisions.size(); d++) {
      for (int o = 0; o < decisions.get(d).options().size(); o++) {
        if (o != a.choice(d)) {
          out.add(a.with(d, o));
        }
      }
    }
    return out;
  }

  /** Members other than {@code a} at the smallest Hamming distance from it, in ordinal order. */
  private List<Architecture> nearestMembers(Architecture a) {
    int best = Integer.MAX_VALUE;
    List<Architecture> out = new ArrayList<>();
    for (Architecture m : members) {
      int distance = 0;
      for (int d = 0; d < decisions.size() && distance <= best; d++) {
        distance += m.choice(d) == a.choice(d) ? 0 : 1;
      }
      if (distance == 0 || distance > best) {
        continue;
      }
      if (distance < best) {
        best = distance;
        out.clear();
      }
      out.add(m);
    }
    return out;
  }
}
