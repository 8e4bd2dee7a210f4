package io.nassearch.coordinator.space.declared;

import java.util.Arrays;

/**
 * Rules on the DAG a node-form space declares with adjacency bits and node operations
 * (NAS-Bench-101 style): the output must be reachable from the input ({@code connected}), the graph
 * left after removing nodes off every input-to-output path may have at most {@code maxEdges} edges,
 * and with {@code canonical} graphs that are equal after that pruning and a relabelling of nodes
 * are one member.
 *
 * <p>The canonical member of a graph: prune it; put its kept operation nodes on the lowest
 * operation positions (nodes with a fixed label stay where they are), in the order, among those
 * whose edges all land on declared adjacency bits, that gives the smallest choice vector
 * (lexicographic, decision order); pruned positions get no edges and their first option. Isomorphic
 * graphs give the same set of such placements, hence the same minimum. With {@code canonical} the
 * members are enumerated once ({@link #members}), so sampling is uniform and membership a binary
 * search.
 *
 * <p>Immutable apart from the memoised member list; thread-safe.
 */
final class DagRules {
  /** At most this many operation nodes may move (8! placements each). */
  static final int MAX_MOVABLE = 8;

  /** At most this many adjacency bits when enumerating (2^24 edge sets). */
  static final int MAX_ENUMERATED_EDGES = 24;

  private final int nodes;
  private final int input;
  private final int output;
  private final int[] radix;
  private final int[] edgeFrom;
  private final int[] edgeTo;
  private final int[][] decisionOfEdge;
  private final int[] opDecisionOfNode;
  private final int[] adjacencyDecisions;
  private final int[] movable;
  private final int maxEdges;
  private final boolean connected;
  private final boolean canonical;
  private final int firstOpDecision;
  private volatile long[] members;

  /**
   * @param radix options per decision
   * @param edgeFrom per decision, the edge's source node for an adjacency bit, else -1
   * @param edgeTo per decision, the edge's target node, else -1
   * @param opNode per decision, the node whose operation it picks, else -1
   * @param maxEdges at most this many edges after pruning, or -1
   */
  DagRules(
      int nodes,
      int input,
      int output,
      int[] radix,
      int[] edgeFrom,
      int[] edgeTo,
      int[] opNode,
      int maxEdges,
      boolean connected,
      boolean canonical) {
    if (nodes > 64) {
      throw new IllegalArgumentException("graph.nodes: at most 64 nodes with constraints");
    }
    this.nodes = nodes;
    this.input = input;
    this.output = output;
    this.radix = radix.clone();
    this.edgeFrom = edgeFrom.clone();
    this.edgeTo = edgeTo.clone();
    this.maxEdges = maxEdges;
    this.connected = connected;
    this.canonical = canonical;
    decisionOfEdge = new int[nodes][nodes];
    for (int[] row : decisionOfEdge) {
      Arrays.fill(row, -1);
    }
    opDecisionOfNode = new int[nodes];
    Arrays.fill(opDecisionOfNode, -1);
    int adjacency = 0;
    int firstOp = Integer.MAX_VALUE;
    for (int d = 0; d < radix.length; d++) {
      if (edgeFrom[d] >= 0) {
        if (edgeFrom[d] >= edgeTo[d]) {
          throw new IllegalArgumentException(
              "graph.adjacency: constraints need every edge [from, to] with from < to, got ["
                  + edgeFrom[d]
                  + ", "
                  + edgeTo[d]
                  + "]");
        }
        decisionOfEdge[edgeFrom[d]][edgeTo[d]] = d;
        adjacency++;
      } else if (opNode[d] >= 0) {
        opDecisionOfNode[opNode[d]] = d;
        firstOp = Math.min(firstOp, d);
      } else if (canonical) {
        throw new IllegalArgumentException(
            "constraints.canonical: needs every decision to be an adjacency bit or a node"
                + " operation (graph.adjacency, graph.node_ops)");
      }
    }
    this.firstOpDecision = firstOp;
    adjacencyDecisions = new int[adjacency];
    for (int d = 0, k = 0; d < radix.length; d++) {
      if (edgeFrom[d] >= 0) {
        adjacencyDecisions[k++] = d;
      }
    }
    movable =
        java.util.stream.IntStream.range(0, nodes).filter(v -> opDecisionOfNode[v] >= 0).toArray();
    if (canonical && !connected) {
      throw new IllegalArgumentException(
          "constraints.canonical: \"isomorphism\" needs \"connected\": true (pruning keeps the"
              + " nodes on input-to-output paths)");
    }
    if (canonical && movable.length > MAX_MOVABLE) {
      throw new IllegalArgumentException(
          "constraints.canonical: at most "
              + MAX_MOVABLE
              + " nodes with an operation decision, got "
              + movable.length);
    }
    if (canonical && adjacency > MAX_ENUMERATED_EDGES) {
      throw new IllegalArgumentException(
          "constraints.canonical: at most "
              + MAX_ENUMERATED_EDGES
              + " adjacency bits, got "
              + adjacency);
    }
  }

  boolean canonical() {
    return canonical;
  }

  /** Successor bit sets of the graph {@code c} describes. */
  private long[] successors(IntChoices c) {
    long[] succ = new long[nodes];
    for (int d : adjacencyDecisions) {
      if (c.get(d) == 1) {
        succ[edgeFrom[d]] |= 1L << edgeTo[d];
      }
    }
    return succ;
  }

  /** Nodes on some input-to-output path (edges go from lower to higher nodes). */
  private long kept(long[] succ) {
    long forward = 1L << input;
    for (int v = 0; v < nodes; v++) {
      if ((forward >>> v & 1) != 0) {
        forward |= succ[v];
      }
    }
    long backward = 1L << output;
    for (int v = nodes - 1; v >= 0; v--) {
      if ((succ[v] & backward) != 0) {
        backward |= 1L << v;
      }
    }
    return forward & backward;
  }

  private boolean valid(long[] succ, long kept) {
    if (connected && (kept >>> output & 1) == 0) {
      return false;
    }
    if (maxEdges >= 0) {
      int edges = 0;
      for (int v = 0; v < nodes; v++) {
        if ((kept >>> v & 1) != 0) {
          edges += Long.bitCount(succ[v] & kept);
        }
      }
      return edges <= maxEdges;
    }
    return true;
  }

  /** Whether the combination satisfies {@code connected} and {@code max_edges}. */
  boolean valid(IntChoices c) {
    long[] succ = successors(c);
    return valid(succ, kept(succ));
  }

  /**
   * The canonical member {@code c} stands for, or null when it breaks a rule; without {@code
   * canonical}, {@code c} itself when valid.
   */
  int[] canonicalise(IntChoices c) {
    long[] succ = successors(c);
    long kept = kept(succ);
    if (!valid(succ, kept)) {
      return null;
    }
    if (!canonical) {
      return c.toArray();
    }
    int m = 0;
    int[] keptOps = new int[movable.length];
    long keptMovable = 0;
    for (int v : movable) {
      if ((kept >>> v & 1) != 0) {
        keptOps[m++] = v;
        keptMovable |= 1L << v;
      }
    }
    long[] pred = new long[nodes];
    for (int u = 0; u < nodes; u++) {
      if ((kept >>> u & 1) != 0) {
        for (long targets = succ[u] & kept; targets != 0; targets &= targets - 1) {
          pred[Long.numberOfTrailingZeros(targets)] |= (1L << u) & keptMovable;
        }
      }
    }
    Placement search = new Placement(c, succ, kept, pred, keptOps, m);
    search.walk(0, 0L);
    return search.best;
  }

  /**
   * The smallest placement of the kept operation nodes: a depth-first walk that puts a node on the
   * next operation position only once its kept predecessors are placed (declared edges go from
   * lower to higher nodes, so other orders cannot fit).
   */
  private final class Placement {
    private final IntChoices c;
    private final long[] succ;
    private final long kept;
    private final long[] pred;
    private final int[] keptOps;
    private final int m;
    private final int[] position = new int[nodes];
    private final int[] candidate = new int[radix.length];
    private int[] best;

    Placement(IntChoices c, long[] succ, long kept, long[] pred, int[] keptOps, int m) {
      this.c = c;
      this.succ = succ;
      this.kept = kept;
      this.pred = pred;
      this.keptOps = keptOps;
      this.m = m;
      for (int v = 0; v < nodes; v++) {
        position[v] = v;
      }
    }

    void walk(int depth, long placed) {
      if (depth == m) {
        if (!place(succ, kept, position, candidate)) {
          return;
        }
        for (int i = 0; i < m; i++) {
          int node = keptOps[i];
          candidate[opDecisionOfNode[position[node]]] = c.get(opDecisionOfNode[node]);
        }
        if (best == null || Arrays.compare(candidate, best) < 0) {
          best = candidate.clone();
        }
        return;
      }
      for (int j = 0; j < m; j++) {
        int v = keptOps[j];
        if ((placed >>> v & 1) != 0 || (pred[v] & ~placed) != 0) {
          continue;
        }
        position[v] = movable[depth];
        walk(depth + 1, placed | 1L << v);
      }
    }
  }

  /**
   * Writes the kept edges moved by {@code position} into a zeroed {@code out}; false if one fails.
   */
  private boolean place(long[] succ, long kept, int[] position, int[] out) {
    // Most placements of a sparse DAG break an edge: check them all before writing anything.
    for (int u = 0; u < nodes; u++) {
      if ((kept >>> u & 1) == 0) {
        continue;
      }
      for (long targets = succ[u] & kept; targets != 0; targets &= targets - 1) {
        if (decisionOfEdge[position[u]][position[Long.numberOfTrailingZeros(targets)]] < 0) {
          return false;
        }
      }
    }
    Arrays.fill(out, 0);
    for (int u = 0; u < nodes; u++) {
      if ((kept >>> u & 1) == 0) {
        continue;
      }
      for (long targets = succ[u] & kept; targets != 0; targets &= targets - 1) {
        int v = Long.numberOfTrailingZeros(targets);
        int d = decisionOfEdge[position[u]][position[v]];
        if (d < 0) {
          return false;
        }
        out[d] = 1;
      }
    }
    return true;
  }

  /**
   * Every member's combination number (mixed radix in decision order), sorted; computed once. Only
   * with {@code canonical}.
   */
  long[] members() {
    long[] m = members;
    if (m == null) {
      synchronized (this) {
        m = members;
        if (m == null) {
          m = enumerate();
          members = m;
        }
      }
    }
    return m;
  }

  /**
   * Walks every set of adjacency bits; keeps those already in canonical shape (no edge touches a
   * pruned node, kept operation nodes on the lowest operation positions), then every labelling of
   * their operation nodes that no other placement makes smaller.
   */
  private long[] enumerate() {
    int a = adjacencyDecisions.length;
    LongList out = new LongList();
    int[] choices = new int[radix.length];
    IntChoices view = IntChoices.of(choices);
    int[] position = new int[nodes];
    int[] placed = new int[radix.length];
    for (long mask = 0; mask < 1L << a; mask++) {
      Arrays.fill(choices, 0);
      for (int k = 0; k < a; k++) {
        choices[adjacencyDecisions[k]] = (int) (mask >>> k & 1);
      }
      long[] succ = successors(view);
      long kept = kept(succ);
      if (!valid(succ, kept) || !onlyKeptEdges(succ, kept)) {
        continue;
      }
      int m = 0;
      boolean prefix = true;
      for (int i = 0; i < movable.length; i++) {
        boolean in = (kept >>> movable[i] & 1) != 0;
        if (in && m < i) {
          prefix = false;
        }
        m += in ? 1 : 0;
      }
      if (!prefix) {
        continue;
      }
      // Placements other than the identity that the edges alone do not rule out.
      java.util.List<int[]> rivals = new java.util.ArrayList<>();
      boolean dominated = false;
      for (int[] sigma : Permutations.of(m)) {
        if (isIdentity(sigma)) {
          continue;
        }
        for (int v = 0; v < nodes; v++) {
          position[v] = v;
        }
        for (int i = 0; i < m; i++) {
          position[movable[sigma[i]]] = movable[i];
        }
        if (!place(succ, kept, position, placed)) {
          continue;
        }
        int firstDiff = -1;
        for (int d : adjacencyDecisions) {
          if (placed[d] != choices[d]) {
            firstDiff = d;
            break;
          }
        }
        if (firstDiff >= 0 && firstDiff < firstOpDecision) {
          if (placed[firstDiff] < choices[firstDiff]) {
            dominated = true;
            break;
          }
          continue; // larger whatever the operations
        }
        rivals.add(sigma.clone());
      }
      if (dominated) {
        continue;
      }
      labellings(choices, m, rivals, succ, kept, position, placed, out);
    }
    long[] sorted = out.toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  private void labellings(
      int[] choices,
      int m,
      java.util.List<int[]> rivals,
      long[] succ,
      long kept,
      int[] position,
      int[] placed,
      LongList out) {
    int[] ops = new int[m];
    while (true) {
      for (int i = 0; i < m; i++) {
        choices[opDecisionOfNode[movable[i]]] = ops[i];
      }
      boolean smallest = true;
      for (int r = 0; r < rivals.size() && smallest; r++) {
        int[] sigma = rivals.get(r);
        for (int v = 0; v < nodes; v++) {
          position[v] = v;
        }
        for (int i = 0; i < m; i++) {
          position[movable[sigma[i]]] = movable[i];
        }
        place(succ, kept, position, placed);
        for (int i = 0; i < m; i++) {
          placed[opDecisionOfNode[movable[i]]] = ops[sigma[i]];
        }
        smallest = Arrays.compare(placed, choices) >= 0;
      }
      if (smallest) {
        out.add(combination(IntChoices.of(choices)));
      }
      int i = 0;
      while (i < m && ++ops[i] == radix[opDecisionOfNode[movable[i]]]) {
        ops[i++] = 0;
      }
      if (i == m) {
        for (int k = 0; k < m; k++) {
          choices[opDecisionOfNode[movable[k]]] = 0;
        }
        return;
      }
    }
  }

  private boolean onlyKeptEdges(long[] succ, long kept) {
    for (int v = 0; v < nodes; v++) {
      if (succ[v] != 0 && ((kept >>> v & 1) == 0 || (succ[v] & ~kept) != 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentity(int[] sigma) {
    for (int i = 0; i < sigma.length; i++) {
      if (sigma[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** The combination's number: mixed radix over the decisions, the first most significant. */
  long combination(IntChoices c) {
    long n = 0;
    for (int d = 0; d < radix.length; d++) {
      n = n * radix[d] + c.get(d);
    }
    return n;
  }

  /** A growable {@code long[]}. */
  private static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** Every permutation of {@code 0..m-1}, identity first; cached per m. */
  static final class Permutations {
    private static final java.util.concurrent.atomic.AtomicReferenceArray<int[][]> CACHE =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(MAX_MOVABLE + 1);

    static int[][] of(int m) {
      int[][] p = CACHE.get(m);
      if (p == null) {
        java.util.List<int[]> all = new java.util.ArrayList<>();
        permute(new int[m], new boolean[m], 0, all);
        p = all.toArray(new int[0][]);
        CACHE.compareAndSet(m, null, p);
      }
      return p;
    }

    private static void permute(int[] p, boolean[] used, int i, java.util.List<int[]> out) {
      if (i == p.length) {
        out.add(p.clone());
        return;
      }
      for (int v = 0; v < p.length; v++) {
        if (!used[v]) {
          used[v] = true;
          p[i] = v;
          permute(p, used, i + 1, out);
          used[v] = false;
        }
      }
    }
  }
}
