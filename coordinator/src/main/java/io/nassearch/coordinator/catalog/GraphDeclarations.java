package io.nassearch.coordinator.catalog;

import io.nassearch.coordinator.space.CellDag;
import io.nassearch.coordinator.space.declared.Constraints;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import io.nassearch.coordinator.space.declared.SpaceDeclaration.ConstraintsDeclaration;
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

  /**
   * The declaration's {@code constraints} resolved against its decisions and graph, or null when it
   * declares none; {@link IllegalArgumentException} starting with the field when something does not
   * fit (e.g. {@code constraints.unordered[0][1][0]: 'x' is not a decision}).
   */
  static Constraints constraints(SpaceDeclaration d, List<DeclaredSpace.Decision> decisions) {
    ConstraintsDeclaration c = d.constraints();
    if (c == null) {
      return null;
    }
    if ("table".equals(d.membership())) {
      throw new IllegalArgumentException(
          "constraints: apply to membership \"all\"; a table already lists the members");
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < decisions.size(); i++) {
      index.put(decisions.get(i).name(), i);
    }
    List<int[][]> unordered = new ArrayList<>();
    if (c.unordered() != null) {
      for (int e = 0; e < c.unordered().size(); e++) {
        List<List<String>> entry = c.unordered().get(e);
        if (entry == null) {
          throw new IllegalArgumentException(
              "constraints.unordered[" + e + "]: must be a list of groups of decision names");
        }
        int[][] groups = new int[entry.size()][];
        for (int g = 0; g < groups.length; g++) {
          List<String> group = entry.get(g);
          if (group == null) {
            throw new IllegalArgumentException(
                "constraints.unordered[" + e + "][" + g + "]: must be a list of decision names");
          }
          groups[g] = new int[group.size()];
          for (int k = 0; k < group.size(); k++) {
            Integer at = index.get(group.get(k));
            if (at == null) {
              throw new IllegalArgumentException(
                  "constraints.unordered["
                      + e
                      + "]["
                      + g
                      + "]["
                      + k
                      + "]: '"
                      + group.get(k)
                      + "' is not a decision");
            }
            groups[g][k] = at;
          }
        }
        unordered.add(groups);
      }
    }
    Constraints.Graph graph = null;
    String rule =
        c.canonical() != null
            ? "canonical"
            : c.maxEdges() != null ? "max_edges" : c.connected() != null ? "connected" : null;
    if (rule != null) {
      if (c.canonical() != null && !c.canonical().equals("isomorphism")) {
        throw new IllegalArgumentException(
            "constraints.canonical: must be \"isomorphism\", got '" + c.canonical() + "'");
      }
      if (c.maxEdges() != null && c.maxEdges() < 0) {
        throw new IllegalArgumentException(
            "constraints.max_edges: must be >= 0, got " + c.maxEdges());
      }
      GraphDeclaration g = d.graph();
      if (g == null || !g.nodeForm() || g.adjacency() == null) {
        throw new IllegalArgumentException(
            "constraints." + rule + ": needs a node-form graph with adjacency bits");
      }
      int input = single(g, "input");
      int output = single(g, "output");
      int[] from = new int[decisions.size()];
      int[] to = new int[decisions.size()];
      int[] opNode = new int[decisions.size()];
      java.util.Arrays.fill(from, -1);
      java.util.Arrays.fill(to, -1);
      java.util.Arrays.fill(opNode, -1);
      g.adjacency()
          .forEach(
              (name, edge) -> {
                Integer at = index.get(name);
                if (at != null) {
                  int[] p = pair(edge);
                  from[at] = p[0];
                  to[at] = p[1];
                }
              });
      if (g.nodeOps() != null) {
        g.nodeOps()
            .forEach(
                (name, node) -> {
                  Integer at = index.get(name);
                  if (at != null && node != null) {
                    opNode[at] = node;
                  }
                });
      }
      graph =
          new Constraints.Graph(
              g.nodes(),
              input,
              output,
              from,
              to,
              opNode,
              c.maxEdges() == null ? -1 : c.maxEdges(),
              Boolean.TRUE.equals(c.connected()),
              c.canonical() != null);
    }
    return new Constraints(
        decisions.stream().map(DeclaredSpace.Decision::options).toList(), unordered, graph);
  }

  private static int single(GraphDeclaration g, String label) {
    List<Integer> nodes = g.labels() == null ? null : g.labels().get(label);
    if (nodes == null || nodes.size() != 1 || nodes.get(0) == null) {
      throw new IllegalArgumentException(
          "graph.labels."
              + label
              + ": graph constraints need exactly one '"
              + label
              + "' node, got "
              + nodes);
    }
    return nodes.get(0);
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
