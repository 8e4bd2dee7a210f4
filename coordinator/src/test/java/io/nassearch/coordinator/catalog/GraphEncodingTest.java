package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nassearch.api.v1.InputLayout;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.CellDag;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph encoding of known cells of the built-in declarations, written out by hand. */
class GraphEncodingTest {
  /** A built-in declaration with the graph encoding, every combination a member, no table. */
  private static DeclaredSpace graphSpace(String id) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode d;
    try (InputStream in = SpaceCatalog.class.getResourceAsStream("builtin/" + id + ".json")) {
      d = (ObjectNode) json.readTree(in);
    }
    d.put("encoding", "graph").put("membership", "all").remove("table");
    d.remove("objectives");
    byte[] bytes = json.writeValueAsBytes(d);
    return SpaceCatalog.load(
            SpaceCatalog.parse(new ByteArrayInputStream(bytes), id), DataDirectory.none())
        .orElseThrow()
        .space();
  }

  /** Rows of the encoded graph: each node's label, then its successors. */
  private static float[] encode(DeclaredSpace space, String arch) {
    float[] row = new float[space.encodingWidth()];
    space.encode(space.parse(arch), row, 0);
    return row;
  }

  private static float[] expected(
      int nodes, List<String> vocabulary, String[] labels, int[][] edges) {
    int stride = vocabulary.size() + nodes;
    float[] row = new float[nodes * stride];
    for (int n = 0; n < nodes; n++) {
      if (labels[n] != null) {
        row[n * stride + vocabulary.indexOf(labels[n])] = 1f;
      }
    }
    for (int[] e : edges) {
      row[e[0] * stride + vocabulary.size() + e[1]] = 1f;
    }
    return row;
  }

  private static void assertLayout(DeclaredSpace space, int nodes, int features) {
    InputLayout layout = space.inputLayout();
    assertEquals(nodes, layout.getGraph().getNodes());
    assertEquals(features, layout.getGraph().getNodeFeatures());
    assertEquals(nodes * (nodes + features), space.encodingWidth());
  }

  @Test
  void anNb201CellBecomesOperationNodesBetweenItsCellNodes() throws Exception {
    DeclaredSpace nb201 = graphSpace("nb201");
    assertLayout(nb201, 10, 7);
    List<String> vocabulary =
        List.of(
            "input",
            "output",
            "node",
            "skip_connect",
            "nor_conv_1x1",
            "nor_conv_3x3",
            "avg_pool_3x3");
    String arch = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|";
    // Cell nodes 0..3, then one node per edge e0..e5 (4..9); the two none edges are left out.
    String[] labels = {
      "input",
      "node",
      "node",
      "output",
      "nor_conv_3x3",
      null,
      "skip_connect",
      "avg_pool_3x3",
      null,
      "nor_conv_1x1"
    };
    int[][] edges = {{0, 4}, {4, 1}, {1, 6}, {6, 2}, {0, 7}, {7, 3}, {2, 9}, {9, 3}};
    assertArrayEquals(expected(10, vocabulary, labels, edges), encode(nb201, arch));
  }

  @Test
  void anNb101CellKeepsItsOperationsOnNodesAndItsAdjacencyBits() throws Exception {
    DeclaredSpace nb101 = graphSpace("nb101_subset");
    assertLayout(nb101, 7, 5);
    List<String> vocabulary =
        List.of("input", "output", "conv1x1-bn-relu", "conv3x3-bn-relu", "maxpool3x3");
    String matrix = "0111101000001100000010000110000001100000000000000";
    String ops =
        "input|maxpool3x3|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|output";
    String[] labels = ops.split("\\|");
    List<int[]> edges = new java.util.ArrayList<>();
    for (int i = 0; i < 49; i++) {
      if (matrix.charAt(i) == '1') {
        edges.add(new int[] {i / 7, i % 7});
      }
    }
    assertArrayEquals(
        expected(7, vocabulary, labels, edges.toArray(int[][]::new)),
        encode(nb101, matrix + "|" + ops));
  }

  @Test
  void aNasBenchGraphArchitectureTakesItsLinksAndFeedsItsSinksToTheOutput() throws Exception {
    DeclaredSpace space = graphSpace("nasbench_graph");
    List<String> vocabulary =
        List.of(
            "input", "output", "gat", "gcn", "gin", "cheb", "sage", "arma", "graph", "fc", "skip");
    assertLayout(space, 6, vocabulary.size());
    String[] labels = {"input", "gcn", "gat", "sage", "fc", "output"};
    int[][] edges = {{0, 1}, {0, 2}, {1, 3}, {3, 4}, {2, 5}, {4, 5}};
    assertArrayEquals(
        expected(6, vocabulary, labels, edges), encode(space, "0-0-1-3:gcn|gat|sage|fc"));
  }

  @Test
  void anNb301ReductionCellNamesItsOwnInputs() throws Exception {
    // Too many combinations for membership "all": the declaration's graph, encoded directly.
    SpaceDeclaration d;
    try (InputStream in = SpaceCatalog.class.getResourceAsStream("builtin/nb301_subset.json")) {
      d = SpaceCatalog.parse(in, "nb301_subset");
    }
    List<DeclaredSpace.Decision> decisions =
        d.decisions().stream().map(x -> new DeclaredSpace.Decision(x.name(), x.options())).toList();
    CellDag dag = GraphDeclarations.dag(d.graph(), decisions);
    assertEquals(30, dag.nodes());
    assertEquals(13, dag.vocabulary().size());
    String[] genes =
        ("max_pool_3x3~0;dil_conv_3x3~1;avg_pool_3x3~1;avg_pool_3x3~0;sep_conv_3x3~1;"
                + "sep_conv_3x3~0;sep_conv_3x3~1;skip_connect~3;max_pool_3x3~1;skip_connect~0;"
                + "sep_conv_3x3~1;sep_conv_3x3~0;max_pool_3x3~3;avg_pool_3x3~0;max_pool_3x3~2;"
                + "dil_conv_5x5~3")
            .split("[;~]");
    int[] choices = new int[genes.length];
    for (int i = 0; i < genes.length; i++) {
      choices[i] = decisions.get(i).options().indexOf(genes[i]);
    }
    float[] row = new float[dag.width()];
    dag.encode(Architecture.of(choices), row, 0);
    int stride = 13 + 30;
    // Normal op node 7+7 = 14 (skip_connect~3) is fed by intermediate node 3; reduction op node
    // 22+7 = 29 (dil_conv_5x5~3) by the reduction cell's intermediate node 15+3 = 18.
    assertEquals(1f, row[3 * stride + 13 + 14]);
    assertEquals(1f, row[18 * stride + 13 + 29]);
    assertEquals(0f, row[3 * stride + 13 + 29]);
    assertEquals(1f, row[29 * stride + 13 + 20]);
    assertEquals(1f, row[14 * stride + dag.vocabulary().indexOf("skip_connect")]);
  }
}
