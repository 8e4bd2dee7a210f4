package io.nassearch.coordinator.space.declared;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A search space declared as JSON, so that a new space needs no code. Example (NAS-Bench-Graph):
 *
 * <pre>{@code
 * {
 *   "id": "nasbench_graph",
 *   "description": "GNN space of NAS-Bench-Graph: 4 computing nodes, 9 link patterns, 9 operations",
 *   "decisions": [{"name": "links", "options": ["0-0-0-0", "0-0-0-1", ...]},
 *                 {"name": "op0", "options": ["gat", "gcn", ...]}, ...],
 *   "format": "{links}:{op0}|{op1}|{op2}|{op3}",
 *   "membership": "table",
 *   "table": {"file": "nasbench_graph.csv", "key": "{links}:{ops}", "index": "hash", "pivot": "dataset",
 *             "columns": {"valid_perf": "{dataset}_valid", "test_perf": "{dataset}_test"},
 *             "scale": {"valid_perf": 100, "test_perf": 100}},
 *   "objectives": ["cora_valid", "citeseer_valid", ...]
 * }
 * }</pre>
 *
 * @param format canonical string: literal text with one {@code {decision}} placeholder per decision
 * @param membership {@code "all"} (every combination of options) or {@code "table"} (only the
 *     table's rows)
 * @param objectives table columns usable as objectives, the default first; without a table, the
 *     values a client's training loop reports
 * @param encoding the surrogate's features by name: {@code onehot} (default), {@code nb201}, or any
 *     other registered {@link io.nassearch.coordinator.space.Encoding.Factory}
 * @param graph optional: the cell DAG whose edges the decisions put operations on
 * @param constraints optional, with membership {@code "all"}: which combinations are members and
 *     their canonical form (see {@link ConstraintsDeclaration})
 */
public record SpaceDeclaration(
    String id,
    String description,
    List<DecisionDeclaration> decisions,
    String format,
    String membership,
    TableDeclaration table,
    List<String> objectives,
    String encoding,
    GraphDeclaration graph,
    ConstraintsDeclaration constraints) {

  /**
   * Rules that make only some combinations members, each in one canonical form (see {@link
   * Constraints}).
   *
   * @param unordered lists of interchangeable groups of decisions; each group's first decision is
   *     its key, and members list the groups by strictly increasing key (e.g. the two inputs of a
   *     DARTS node: {@code [["n0_in", "n0_op"], ["n1_in", "n1_op"]]})
   * @param connected with a node-form graph: the output node must be reachable from the input node
   * @param maxEdges with a node-form graph: at most this many edges once nodes off every
   *     input-to-output path are pruned
   * @param canonical {@code "isomorphism"}: graphs equal after pruning and relabelling nodes are
   *     one member (needs {@code connected}, adjacency bits and node operations only)
   */
  public record ConstraintsDeclaration(
      List<List<List<String>>> unordered,
      Boolean connected,
      @JsonProperty("max_edges") Integer maxEdges,
      String canonical) {}

  public record DecisionDeclaration(String name, List<String> options) {}

  /**
   * How an architecture becomes a DAG; node {@code nodes - 1} is the output. Either a cell with
   * operations on edges ({@code edges}, one per decision) or a node-labelled DAG (every other
   * field; see {@code docs/space-declarations.md}).
   *
   * @param edges {@code [from, to]} of the edge each decision picks the operation for, in decision
   *     order
   * @param none the option that removes its edge or node (e.g. {@code "none"}), or null
   * @param labels fixed node label to the nodes that carry it
   * @param nodeOps decision to the node whose operation it picks
   * @param adjacency decision (options "0", "1") to the edge {@code [from, to]} that "1" adds
   * @param sources decision whose option lists source nodes ("0-1-1-2") to the edges' targets
   * @param fixedEdges edges every architecture has
   * @param sinksToOutput whether nodes without successors feed the output node
   */
  public record GraphDeclaration(
      int nodes,
      List<List<Integer>> edges,
      String none,
      Map<String, List<Integer>> labels,
      @JsonProperty("node_ops") Map<String, Integer> nodeOps,
      Map<String, List<Integer>> adjacency,
      Map<String, SourcesDeclaration> sources,
      @JsonProperty("fixed_edges") List<List<Integer>> fixedEdges,
      @JsonProperty("sinks_to_output") Boolean sinksToOutput) {

    /** Whether this is the node-labelled form rather than operations on edges. */
    public boolean nodeForm() {
      return labels != null
          || nodeOps != null
          || adjacency != null
          || sources != null
          || fixedEdges != null
          || sinksToOutput != null;
    }
  }

  /**
   * @param to the target node of each number in the option
   * @param from optional: the node each number names (default: the number is the node)
   */
  public record SourcesDeclaration(List<Integer> to, List<Integer> from) {}

  /**
   * Where the ground truth is and how its rows map to architectures.
   *
   * @param file CSV file name, found in the data directory (or an absolute path)
   * @param key template over the CSV's columns that yields the canonical architecture string
   * @param index optional integer column with the benchmark's own index (default: row number)
   * @param pivot optional column whose value splits a long table into columns per value ({@code
   *     {pivot}} in names)
   * @param columns CSV column to table column name; empty: every other numeric column under its own
   *     name
   * @param scale optional factor per CSV column (e.g. 100 to turn fractions into percent)
   * @param codes optional column that keys a file without the key columns: one digit per decision,
   *     the option's position (e.g. {@code 421211})
   * @param join optional further files (data directory) whose columns are added to the same
   *     architectures; a missing one is left out
   * @param bundled optional classpath resource (gzipped CSV, next to the built-in declarations)
   *     read when {@code file} is not in the data directory
   * @param where optional column values a row of the main file must have to belong to the space
   *     (e.g. {@code {"space": "darts"}} for a file that holds several spaces)
   */
  public record TableDeclaration(
      String file,
      String key,
      String index,
      String pivot,
      Map<String, String> columns,
      Map<String, Double> scale,
      String codes,
      List<String> join,
      String bundled,
      Map<String, String> where) {}
}
