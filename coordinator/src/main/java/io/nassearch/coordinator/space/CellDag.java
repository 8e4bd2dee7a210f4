package io.nassearch.coordinator.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How an architecture becomes a node-labelled DAG of at most {@link #nodes()} nodes, each labelled
 * with one word of {@link #vocabulary()}: fixed labels (e.g. {@code input}, {@code output}),
 * decisions that pick a node's operation, decisions that are adjacency bits, decisions whose option
 * names the source nodes of edges, and fixed edges. A node-operation decision set to the removing
 * option ({@code none}) leaves its node out, with its edges. Immutable.
 *
 * <p>A cell with operations on edges ({@link CellGraph}, NAS-Bench-201) becomes a node-labelled DAG
 * as in the NAS-Bench-201 predictor papers: each edge turns into an operation node between its two
 * ends, and the cell's own nodes keep the labels {@code input}, {@code node} and {@code output}.
 */
public final class CellDag {
  /** Edges from {@code from[k]} (a node, or the option's k-th '-'-separated number) to to[k]. */
  public record Sources(int[] to, int[] from) {}

  private final int nodes;
  private final List<String> vocabulary;
  private final int[] fixedLabel;
  private final int[] opNode;
  private final int[][] opLabel;
  private final int[][] adjacency;
  private final int[][][][] sourceEdges;
  private final int[][] fixedEdges;
  private final boolean sinksToOutput;
  private final CellGraph edgeForm;

  /**
   * @param options each decision's options
   * @param labels fixed label to the nodes that carry it, in vocabulary order
   * @param nodeOps decision index to the node whose operation it picks
   * @param none the option that removes its node, or null
   * @param adjacency decision index to {@code [from, to]}; its option {@code "1"} adds that edge
   * @param sources decision index to the edges its option's numbers start
   * @param fixedEdges edges every architecture has, {@code [from, to]}
   * @param sinksToOutput whether a node without successors feeds the output (node {@code nodes-1})
   */
  public CellDag(
      int nodes,
      List<List<String>> options,
      Map<String, List<Integer>> labels,
      Map<Integer, Integer> nodeOps,
      String none,
      Map<Integer, int[]> adjacency,
      Map<Integer, Sources> sources,
      List<int[]> fixedEdges,
      boolean sinksToOutput) {
    this(
        nodes, options, labels, nodeOps, none, adjacency, sources, fixedEdges, sinksToOutput, null);
  }

  private CellDag(
      int nodes,
      List<List<String>> options,
      Map<String, List<Integer>> labels,
      Map<Integer, Integer> nodeOps,
      String none,
      Map<Integer, int[]> adjacency,
      Map<Integer, Sources> sources,
      List<int[]> fixedEdges,
      boolean sinksToOutput,
      CellGraph edgeForm) {
    if (nodes < 2) {
      throw new IllegalArgumentException("nodes: must be >= 2, got " + nodes);
    }
    int decisions = options.size();
    this.nodes = nodes;
    this.edgeForm = edgeForm;
    this.sinksToOutput = sinksToOutput;
    Map<String, Integer> words = new LinkedHashMap<>();
    fixedLabel = new int[nodes];
    Arrays.fill(fixedLabel, -1);
    labels.forEach(
        (label, at) -> {
          int word = words.computeIfAbsent(label, k -> words.size());
          for (int n : at) {
            requireNode("labels." + label, n);
            if (fixedLabel[n] >= 0) {
              throw new IllegalArgumentException(
                  "labels." + label + ": node " + n + " has a label");
            }
            fixedLabel[n] = word;
          }
        });
    opNode = new int[decisions];
    Arrays.fill(opNode, -1);
    opLabel = new int[decisions][];
    for (Map.Entry<Integer, Integer> e : nodeOps.entrySet()) {
      int d = e.getKey();
      int n = e.getValue();
      requireNode("node_ops", n);
      if (fixedLabel[n] >= 0 || Arrays.stream(opNode).anyMatch(x -> x == n)) {
        throw new IllegalArgumentException("node_ops: node " + n + " is labelled twice");
      }
      opNode[d] = n;
      List<String> choices = options.get(d);
      opLabel[d] = new int[choices.size()];
      for (int o = 0; o < choices.size(); o++) {
        String op = choices.get(o);
        opLabel[d][o] = op.equals(none) ? -1 : words.computeIfAbsent(op, k -> words.size());
      }
    }
    this.vocabulary = List.copyOf(words.keySet());
    this.adjacency = new int[decisions][];
    adjacency.forEach(
        (d, edge) -> {
          requireEdge("adjacency", edge);
          if (!options.get(d).equals(List.of("0", "1"))) {
            throw new IllegalArgumentException("adjacency: a bit's options must be [\"0\", \"1\"]");
          }
          this.adjacency[d] = edge.clone();
        });
    this.sourceEdges = new int[decisions][][][];
    sources.forEach((d, s) -> sourceEdges[d] = sourceEdges(options.get(d), s));
    this.fixedEdges = fixedEdges.stream().map(int[]::clone).toArray(int[][]::new);
    for (int[] edge : this.fixedEdges) {
      requireEdge("fixed_edges", edge);
    }
  }

  /** The edge-operation cell as a node-labelled DAG (see the class comment). */
  public static CellDag fromEdgeOps(CellGraph g) {
    int cellNodes = g.nodes();
    Map<String, List<Integer>> labels = new LinkedHashMap<>();
    labels.put("input", List.of(0));
    labels.put("output", List.of(cellNodes - 1));
    List<Integer> inner = new ArrayList<>();
    for (int n = 1; n < cellNodes - 1; n++) {
      inner.add(n);
    }
    if (!inner.isEmpty()) {
      labels.put("node", inner);
    }
    Map<Integer, Integer> nodeOps = new LinkedHashMap<>();
    List<int[]> fixed = new ArrayList<>();
    for (int e = 0; e < g.edges(); e++) {
      int opNode = cellNodes + e;
      nodeOps.put(e, opNode);
      fixed.add(new int[] {g.from()[e], opNode});
      fixed.add(new int[] {opNode, g.to()[e]});
    }
    List<List<String>> options = new ArrayList<>();
    for (int e = 0; e < g.edges(); e++) {
      options.add(g.ops());
    }
    String none = g.noneOp() < 0 ? null : g.ops().get(g.noneOp());
    return new CellDag(
        cellNodes + g.edges(), options, labels, nodeOps, none, Map.of(), Map.of(), fixed, false, g);
  }

  public int nodes() {
    return nodes;
  }

  /** The node labels, in one-hot order. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The declared cell with operations on edges, when the graph was declared that way. */
  public Optional<CellGraph> edgeForm() {
    return Optional.ofNullable(edgeForm);
  }

  /** Floats per architecture: per node its one-hot label, then its row of the adjacency matrix. */
  public int width() {
    return nodes * (vocabulary.size() + nodes);
  }

  /** Writes {@link #width()} floats for {@code a}; absent nodes are all zeros. */
  public void encode(Architecture a, float[] dst, int offset) {
    int features = vocabulary.size();
    int stride = features + nodes;
    Arrays.fill(dst, offset, offset + width(), 0f);
    int[] label = fixedLabel.clone();
    for (int d = 0; d < opNode.length; d++) {
      if (opNode[d] >= 0) {
        label[opNode[d]] = opLabel[d][a.choice(d)];
      }
    }
    boolean[][] edge = new boolean[nodes][nodes];
    for (int[] e : fixedEdges) {
      edge[e[0]][e[1]] = true;
    }
    for (int d = 0; d < opNode.length; d++) {
      if (adjacency[d] != null && a.choice(d) == 1) {
        edge[adjacency[d][0]][adjacency[d][1]] = true;
      }
      if (sourceEdges[d] != null) {
        for (int[] e : sourceEdges[d][a.choice(d)]) {
          edge[e[0]][e[1]] = true;
        }
      }
    }
    int output = nodes - 1;
    for (int n = 0; n < nodes; n++) {
      if (label[n] < 0) {
        continue;
      }
      dst[offset + n * stride + label[n]] = 1f;
      boolean successors = false;
      for (int m = 0; m < nodes; m++) {
        if (edge[n][m] && label[m] >= 0) {
          dst[offset + n * stride + features + m] = 1f;
          successors = true;
        }
      }
      if (sinksToOutput && !successors && n != output && label[output] >= 0) {
        dst[offset + n * stride + features + output] = 1f;
      }
    }
  }

  private int[][][] sourceEdges(List<String> choices, Sources s) {
    if (s.to() == null) {
      throw new IllegalArgumentException("sources: needs \"to\", the target node of each number");
    }
    int[][][] out = new int[choices.size()][][];
    for (int o = 0; o < choices.size(); o++) {
      String[] parts = choices.get(o).split("-", -1);
      if (parts.length != s.to().length) {
        throw new IllegalArgumentException(
            "sources: option '" + choices.get(o) + "' needs " + s.to().length + " source numbers");
      }
      out[o] = new int[parts.length][];
      for (int k = 0; k < parts.length; k++) {
        int source;
        try {
          source = Integer.parseInt(parts[k]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "sources: option '" + choices.get(o) + "' is not '-'-separated node numbers");
        }
        if (s.from() != null) {
          if (source < 0 || source >= s.from().length) {
            throw new IllegalArgumentException(
                "sources: option '"
                    + choices.get(o)
                    + "' names source "
                    + source
                    + " of "
                    + s.from().length);
          }
          source = s.from()[source];
        }
        out[o][k] = new int[] {source, s.to()[k]};
        requireEdge("sources", out[o][k]);
      }
    }
    return out;
  }

  private void requireNode(String field, int n) {
    if (n < 0 || n >= nodes) {
      throw new IllegalArgumentException(field + ": node " + n + " is not in 0.." + (nodes - 1));
    }
  }

  private void requireEdge(String field, int[] edge) {
    if (edge.length != 2 || edge[0] == edge[1]) {
      throw new IllegalArgumentException(field + ": an edge is [from, to] with from != to");
    }
    requireNode(field, edge[0]);
    requireNode(field, edge[1]);
  }
}
