package io.nassearch.coordinator.space.declared;

import io.nassearch.coordinator.space.Architecture;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Which combinations of options are members of a {@code membership: "all"} space that declares
 * {@code constraints}, and the canonical member a combination stands for:
 *
 * <ul>
 *   <li>{@code unordered}: groups of decisions that may come in any order (the two inputs of a
 *       DARTS node, each an input and an operation). The first decision of each group is its key;
 *       members list the groups by strictly increasing key, so keys differ and each set of groups
 *       is one member. Canonicalising sorts the groups; equal keys make no member.
 *   <li>graph rules ({@link DagRules}): {@code connected}, {@code max_edges} and {@code canonical:
 *       "isomorphism"} on a node-form graph of adjacency bits and node operations.
 * </ul>
 *
 * <p>Sampling is uniform over members: with {@code unordered} alone, keys are drawn as a uniform
 * set of distinct options and the other decisions independently (no rejection); with {@code
 * canonical}, from the enumerated members; with {@code connected}/{@code max_edges} alone, by
 * rejection of uniform combinations. Immutable; thread-safe.
 */
public final class Constraints {
  /** Members are numbered (enumerated) when there are at most this many combinations to test. */
  private static final long ENUMERATE_COMBINATIONS = 1L << 24;

  private static final int MAX_REJECTIONS = 100_000;

  /**
   * The graph rules, resolved to node and decision numbers.
   *
   * @param edgeFrom per decision, the source node of its adjacency bit, else -1
   * @param edgeTo per decision, the target node of its adjacency bit, else -1
   * @param opNode per decision, the node whose operation it picks, else -1
   * @param maxEdges at most this many edges after pruning, or -1 for no limit
   */
  public record Graph(
      int nodes,
      int input,
      int output,
      int[] edgeFrom,
      int[] edgeTo,
      int[] opNode,
      int maxEdges,
      boolean connected,
      boolean canonical) {}

  private final int[] radix;

  /** Entry, group, decision; each group's first decision is its key. */
  private final int[][][] unordered;

  private final DagRules dag;

  /** Sorted combination numbers of the members when numbered, else null. */
  private volatile long[] numbered;

  private final boolean numberable;

  /**
   * @param options options per decision, in decision order
   * @param unordered per entry, its groups, each a list of decision numbers (key first)
   * @param graph graph rules, or null
   * @throws IllegalArgumentException starting with the field at fault, e.g. {@code
   *     constraints.unordered[0]: ...}
   */
  public Constraints(List<List<String>> options, List<int[][]> unordered, Graph graph) {
    this.radix = options.stream().mapToInt(List::size).toArray();
    this.unordered = unordered.toArray(new int[0][][]);
    boolean[] used = new boolean[radix.length];
    for (int e = 0; e < this.unordered.length; e++) {
      String at = "constraints.unordered[" + e + "]";
      int[][] groups = this.unordered[e];
      if (groups.length < 2) {
        throw new IllegalArgumentException(at + ": needs at least 2 groups");
      }
      for (int[] group : groups) {
        if (group.length == 0 || group.length != groups[0].length) {
          throw new IllegalArgumentException(
              at + ": every group needs the same number (at least 1) of decisions");
        }
        for (int k = 0; k < group.length; k++) {
          if (used[group[k]]) {
            throw new IllegalArgumentException(
                at + ": a decision belongs to at most one group of all the entries");
          }
          used[group[k]] = true;
          if (!options.get(group[k]).equals(options.get(groups[0][k]))) {
            throw new IllegalArgumentException(
                at + ": decisions in the same place of each group need the same options");
          }
        }
      }
      if (radix[groups[0][0]] < groups.length) {
        throw new IllegalArgumentException(
            at + ": the key (each group's first decision) needs at least one option per group");
      }
    }
    if (graph != null && graph.canonical() && this.unordered.length > 0) {
      throw new IllegalArgumentException(
          "constraints.unordered: cannot be combined with canonical \"isomorphism\"");
    }
    this.dag =
        graph == null
            ? null
            : new DagRules(
                graph.nodes(),
                graph.input(),
                graph.output(),
                radix,
                graph.edgeFrom(),
                graph.edgeTo(),
                graph.opNode(),
                graph.maxEdges(),
                graph.connected(),
                graph.canonical());
    BigInteger combinations = BigInteger.ONE;
    for (int r : radix) {
      combinations = combinations.multiply(BigInteger.valueOf(r));
    }
    if (dag != null
        && dag.canonical()
        && combinations.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "constraints.canonical: needs fewer than 2^63 combinations of options");
    }
    this.numberable =
        (dag != null && dag.canonical())
            || combinations.compareTo(BigInteger.valueOf(ENUMERATE_COMBINATIONS)) <= 0;
  }

  /**
   * How many members there are; null when unknown (graph rules without {@code canonical} over too
   * many combinations to enumerate).
   */
  public BigInteger memberCount() {
    if (numberable) {
      return BigInteger.valueOf(members().length);
    }
    if (dag != null) {
      return null;
    }
    BigInteger n = BigInteger.ONE;
    boolean[] key = new boolean[radix.length];
    for (int[][] groups : unordered) {
      for (int[] group : groups) {
        key[group[0]] = true;
      }
      n = n.multiply(binomial(radix[groups[0][0]], groups.length));
    }
    for (int d = 0; d < radix.length; d++) {
      n = key[d] ? n : n.multiply(BigInteger.valueOf(radix[d]));
    }
    return n;
  }

  private static BigInteger binomial(int n, int k) {
    BigInteger b = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      b = b.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return b;
  }

  /** Whether the members are numbered ({@link #ordinal}, {@link #fromOrdinal}). */
  boolean numbered() {
    return numberable;
  }

  /** Sorted combination numbers of every member; only when {@link #numbered()}. */
  private long[] members() {
    if (dag != null && dag.canonical()) {
      return dag.members();
    }
    long[] m = numbered;
    if (m == null) {
      long total = 1;
      for (int r : radix) {
        total *= r;
      }
      long[] out = new long[16];
      int n = 0;
      int[] c = new int[radix.length];
      IntChoices view = IntChoices.of(c);
      for (long k = 0; k < total; k++) {
        if (admits(view)) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = k;
        }
        for (int d = radix.length - 1; d >= 0 && ++c[d] == radix[d]; d--) {
          c[d] = 0;
        }
      }
      m = Arrays.copyOf(out, n);
      numbered = m;
    }
    return m;
  }

  /** Whether the combination (option positions already in range) is a member. */
  boolean admits(IntChoices c) {
    for (int[][] groups : unordered) {
      for (int g = 1; g < groups.length; g++) {
        if (c.get(groups[g][0]) <= c.get(groups[g - 1][0])) {
          return false;
        }
      }
    }
    if (dag == null) {
      return true;
    }
    if (dag.canonical()) {
      return Arrays.binarySearch(dag.members(), combination(c)) >= 0;
    }
    return dag.valid(c);
  }

  /**
   * The member the combination stands for (groups sorted, graph pruned and relabelled), or null
   * when it stands for none. Reorders {@code c} in place.
   */
  int[] canonicalise(int[] c) {
    for (int[][] groups : unordered) {
      // Insertion sort of the groups by key: entries are short.
      for (int g = 1; g < groups.length; g++) {
        for (int h = g; h > 0 && c[groups[h][0]] < c[groups[h - 1][0]]; h--) {
          for (int k = 0; k < groups[h].length; k++) {
            int t = c[groups[h][k]];
            c[groups[h][k]] = c[groups[h - 1][k]];
            c[groups[h - 1][k]] = t;
          }
        }
      }
      for (int g = 1; g < groups.length; g++) {
        if (c[groups[g][0]] == c[groups[g - 1][0]]) {
          return null;
        }
      }
    }
    return dag == null ? c : dag.canonicalise(IntChoices.of(c));
  }

  /** A uniformly random member. */
  Architecture sample(RandomGenerator rng) {
    if (dag != null && dag.canonical()) {
      long[] m = dag.members();
      return Architecture.of(choices(m[rng.nextInt(m.length)]));
    }
    for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      int[] c = new int[radix.length];
      for (int d = 0; d < c.length; d++) {
        c[d] = rng.nextInt(radix[d]);
      }
      for (int[][] groups : unordered) {
        drawKeys(groups, c, rng);
      }
      if (dag == null || dag.valid(IntChoices.of(c))) {
        return Architecture.of(c);
      }
    }
    throw new IllegalStateException(
        "no member in " + MAX_REJECTIONS + " uniform draws; the constraints admit too few");
  }

  /** Sets the groups' keys to a uniform set of distinct options, in increasing order. */
  private void drawKeys(int[][] groups, int[] c, RandomGenerator rng) {
    int n = radix[groups[0][0]];
    if (groups.length == 2) {
      int x = rng.nextInt(n);
      int y = rng.nextInt(n - 1);
      y += y >= x ? 1 : 0;
      c[groups[0][0]] = Math.min(x, y);
      c[groups[1][0]] = Math.max(x, y);
      return;
    }
    int[] keys = new int[groups.length];
    for (int g = 0; g < keys.length; g++) {
      boolean fresh;
      do {
        keys[g] = rng.nextInt(n);
        fresh = true;
        for (int h = 0; h < g; h++) {
          fresh &= keys[h] != keys[g];
        }
      } while (!fresh);
    }
    Arrays.sort(keys);
    for (int g = 0; g < keys.length; g++) {
      c[groups[g][0]] = keys[g];
    }
  }

  /**
   * One decision of {@code a} changed to another option, both uniform, then canonicalised; redrawn
   * until that is a member other than {@code a}. Where single changes rarely or never give another
   * member (the bare input-to-output cell of NAS-Bench-101: every added edge only dangles), later
   * draws change two decisions, then three.
   */
  Architecture mutate(Architecture a, RandomGenerator rng) {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int[] c = a.choices();
      for (int k = 1 + attempt / 64; k > 0; k--) {
        int d = rng.nextInt(radix.length);
        c[d] = (c[d] + 1 + rng.nextInt(radix[d] - 1)) % radix[d];
      }
      int[] member = canonicalise(c);
      if (member != null) {
        Architecture m = Architecture.of(member);
        if (!m.equals(a)) {
          return m;
        }
      }
    }
    List<Architecture> near = neighbours(a);
    return near.isEmpty() ? a : near.get(rng.nextInt(near.size()));
  }

  /**
   * The distinct members, other than {@code a}, that one changed decision stands for, in decision
   * and option order; when there are none, those that two changed decisions stand for.
   */
  List<Architecture> neighbours(Architecture a) {
    Set<Architecture> out = new LinkedHashSet<>();
    for (int d = 0; d < radix.length; d++) {
      for (int o = 0; o < radix[d]; o++) {
        if (o != a.choice(d)) {
          addMember(out, a, d, o, -1, 0);
        }
      }
    }
    out.remove(a);
    for (int d = 0; out.isEmpty() && d < radix.length; d++) {
      for (int e = d + 1; e < radix.length; e++) {
        for (int o = 0; o < radix[d]; o++) {
          for (int p = 0; p < radix[e]; p++) {
            if (o != a.choice(d) && p != a.choice(e)) {
              addMember(out, a, d, o, e, p);
            }
          }
        }
      }
    }
    out.remove(a);
    return new ArrayList<>(out);
  }

  private void addMember(Set<Architecture> out, Architecture a, int d, int o, int e, int p) {
    int[] c = a.choices();
    c[d] = o;
    if (e >= 0) {
      c[e] = p;
    }
    int[] member = canonicalise(c);
    if (member != null) {
      out.add(Architecture.of(member));
    }
  }

  /** The member's number in {@code [0, members)}, or -1; only when {@link #numbered()}. */
  long ordinal(Architecture a) {
    return Math.max(-1, Arrays.binarySearch(members(), combination(IntChoices.of(a))));
  }

  /** The member numbered {@code ordinal}; only when {@link #numbered()}. */
  Architecture fromOrdinal(long ordinal) {
    return Architecture.of(choices(members()[(int) ordinal]));
  }

  /** The first member, for examples. */
  Architecture first() {
    if (numberable) {
      return fromOrdinal(0);
    }
    return sample(new java.util.SplittableRandom(0));
  }

  private long combination(IntChoices c) {
    long n = 0;
    for (int d = 0; d < radix.length; d++) {
      n = n * radix[d] + c.get(d);
    }
    return n;
  }

  private int[] choices(long combination) {
    int[] out = new int[radix.length];
    for (int d = radix.length - 1; d >= 0; d--) {
      out[d] = (int) (combination % radix[d]);
      combination /= radix[d];
    }
    return out;
  }
}
