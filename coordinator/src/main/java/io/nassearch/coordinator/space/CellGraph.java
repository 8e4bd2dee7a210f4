package io.nassearch.coordinator.space;

import java.util.ArrayList;
import java.util.List;

/**
 * How an architecture of a cell space becomes a DAG with operations on its edges: decision {@code
 * i} picks the operation on the edge {@code from[i] -> to[i]}; node 0 is the input and node {@code
 * nodes - 1} the output; the operation {@code noneOp} (or -1 when there is none) removes its edge.
 * Immutable.
 *
 * @param ops operation names, indexed as the decisions' values
 */
public record CellGraph(int nodes, int[] from, int[] to, List<String> ops, int noneOp) {
  public CellGraph {
    if (from.length != to.length) {
      throw new IllegalArgumentException("one source and one target per edge");
    }
    for (int e = 0; e < from.length; e++) {
      if (from[e] < 0 || from[e] >= to[e] || to[e] >= nodes) {
        throw new IllegalArgumentException(
            "edge " + e + " must go forward between nodes 0.." + (nodes - 1));
      }
    }
    from = from.clone();
    to = to.clone();
    ops = List.copyOf(ops);
  }

  public int edges() {
    return from.length;
  }

  /**
   * Every input-to-output path of the complete cell as its list of edges, shortest first, then by
   * edge order.
   */
  public List<int[]> paths() {
    List<int[]> out = new ArrayList<>();
    extend(0, new ArrayList<>(), out);
    out.sort(
        (a, b) ->
            a.length != b.length
                ? Integer.compare(a.length, b.length)
                : java.util.Arrays.compare(a, b));
    return out;
  }

  private void extend(int node, List<Integer> edgesSoFar, List<int[]> out) {
    if (node == nodes - 1) {
      out.add(edgesSoFar.stream().mapToInt(Integer::intValue).toArray());
      return;
    }
    for (int e = 0; e < from.length; e++) {
      if (from[e] == node) {
        edgesSoFar.add(e);
        extend(to[e], edgesSoFar, out);
        edgesSoFar.remove(edgesSoFar.size() - 1);
      }
    }
  }
}
