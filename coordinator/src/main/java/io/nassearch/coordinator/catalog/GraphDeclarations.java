package io.nassearch.coordinator.catalog;

import io.nassearch.coordinator.space.CellDag;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration.GraphDeclaration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a node-labelled {@code graph} declaration into a {@link CellDag}. */
final class GraphDeclarations {
  private GraphDeclarations() {}

  /** {@link IllegalArgumentException} starting with the field when something does not fit. */
  static CellDag dag(GraphDeclaration g, List<DeclaredSpace.Decision> decisions) {
    if (g.edges() != null) {
      throw new IllegalArgumentException(
          "edges: operations on edges cannot be mixed with labels, node_ops, adjacency, sources,"
              + " fixed_edges or sinks_to_output");
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < decisions.size(); i++) {
      index.put(decisions.get(i).name(), i);
    }
    Map<Integer, Integer> nodeOps = new LinkedHashMap<>();
    Map<Integer, int[]> adjacency = new LinkedHashMap<>();
    Map<Integer, CellDag.Sources> sources = new LinkedHashMap<>();
    List<Integer> used = new ArrayList<>();
    forEach(g.nodeOps(), "node_ops", index, used, (d, node) -> nodeOps.put(d, node));
    forEach(g.adjacency(), "adjacency", index, used, (d, edge) -> adjacency.put(d, pair(edge)));
    forEach(
        g.sources(),
        "sources",
        index,
        used,
        (d, s) -> sources.put(d, new CellDag.Sources(ints(s.to()), ints(s.from()))));
    List<int[]> fixed = new ArrayList<>();
    if (g.fixedEdges() != null) {
      for (List<Integer> edge : g.fixedEdges()) {
        fixed.add(pair(edge));
      }
    }
    return new CellDag(
        g.nodes(),
        decisions.stream().map(DeclaredSpace.Decision::options).toList(),
        g.labels() == null ? Map.of() : g.labels(),
        nodeOps,
        g.none(),
        adjacency,
        sources,
        fixed,
        Boolean.TRUE.equals(g.sinksToOutput()));
  }

  private interface Entry<V> {
    void accept(int decision, V value);
  }

  private static <V> void forEach(
      Map<String, V> map,
      String field,
      Map<String, Integer> index,
      List<Integer> used,
      Entry<V> e) {
    if (map == null) {
      return;
    }
    map.forEach(
        (name, value) -> {
          Integer d = index.get(name);
          if (d == null) {
            throw new IllegalArgumentException(field + "." + name + ": not a decision");
          }
          if (used.contains(d)) {
            throw new IllegalArgumentException(field + "." + name + ": the decision has a role");
          }
          if (value == null) {
            throw new IllegalArgumentException(field + "." + name + ": needs a value");
          }
          used.add(d);
          e.accept(d, value);
        });
  }

  private static int[] pair(List<Integer> edge) {
    if (edge == null || edge.size() != 2 || edge.contains(null)) {
      throw new IllegalArgumentException("an edge is [from, to], got " + edge);
    }
    return new int[] {edge.get(0), edge.get(1)};
  }

  private static int[] ints(List<Integer> values) {
    if (values == null) {
      return null;
    }
    if (values.contains(null)) {
      throw new IllegalArgumentException("node numbers must not be null");
    }
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
