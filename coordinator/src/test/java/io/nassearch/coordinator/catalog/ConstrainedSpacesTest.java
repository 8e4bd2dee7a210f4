package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The full DARTS and NAS-Bench-101 spaces, declared as data with constraints. */
class ConstrainedSpacesTest {
  private static DeclaredSpace nb101() {
    return SpaceCatalog.builtIn("nb101", DataDirectory.none()).space();
  }

  private static DeclaredSpace darts() {
    return SpaceCatalog.builtIn("darts", DataDirectory.none()).space();
  }

  /** NB101's canonical string of a cell given as rows of its 7x7 adjacency and 5 inner ops. */
  private static String cell(String rows, String ops) {
    return rows.replace(" ", "") + "|input|" + ops + "|output";
  }

  @Test
  void nb101HasThePublishedNumberOfUniqueGraphs() {
    DeclaredSpace space = nb101();
    assertEquals(423_624, space.size());
    assertEquals(BigInteger.valueOf(423_624), space.memberCount());
    // Numbered both ways.
    for (long i = 0; i < space.size(); i += 9_973) {
      assertEquals(i, space.ordinal(space.fromOrdinal(i)));
    }
  }

  @Test
  void enumerationAndCanonicalisationAgree() {
    DeclaredSpace space = nb101();
    // Every enumerated member is its own canonical form...
    Set<Architecture> all = new HashSet<>();
    for (long i = 0; i < space.size(); i++) {
      Architecture m = space.fromOrdinal(i);
      assertEquals(m, space.canonical(m).orElseThrow());
      all.add(m);
    }
    assertEquals(423_624, all.size());
    // ...and every valid combination canonicalises to an enumerated member.
    SplittableRandom rng = new SplittableRandom(5);
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      int[] c = new int[26];
      for (int d = 0; d < 26; d++) {
        c[d] = rng.nextInt(d < 21 ? (rng.nextInt(3) == 0 ? 2 : 1) : 3);
      }
      var m = space.canonical(Architecture.of(c));
      if (m.isPresent()) {
        valid++;
        assertTrue(all.contains(m.get()));
      }
    }
    assertTrue(valid > 5_000, "valid " + valid);
  }

  @Test
  void isomorphicRelabellingsAndDanglingNodesAreOneNb101Member() {
    DeclaredSpace space = nb101();
    // input -> 1 (conv3x3) -> 2 (maxpool) -> output, plus input -> output.
    String a =
        cell(
            "0100001 0010000 0000001 0000000 0000000 0000000 0000000",
            "conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu");
    // The same graph on positions 3 and 5, plus a dead end 0 -> 1 and an unreachable edge 2 -> 4.
    String b =
        cell(
            "0101001 0000000 0000100 0000010 0000000 0000001 0000000",
            "maxpool3x3|conv1x1-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|maxpool3x3");
    Architecture ca = space.canonical(space.parseCombination(a)).orElseThrow();
    Architecture cb = space.canonical(space.parseCombination(b)).orElseThrow();
    assertEquals(ca, cb);
    assertTrue(space.contains(ca));
    assertFalse(space.contains(space.parseCombination(b)), "not in canonical form");
    InvalidArchitectureException e =
        assertThrows(InvalidArchitectureException.class, () -> space.parse(b));
    assertTrue(
        e.getMessage().contains("its canonical form is " + space.format(ca)), e.getMessage());
    assertEquals(ca, space.parse(space.format(ca)));
    // Two branches input->1->output and input->2->output with swapped ops are isomorphic.
    String c =
        cell(
            "0110000 0000001 0000001 0000000 0000000 0000000 0000000",
            "conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu");
    String d =
        cell(
            "0110000 0000001 0000001 0000000 0000000 0000000 0000000",
            "maxpool3x3|conv3x3-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu");
    assertEquals(
        space.canonical(space.parseCombination(c)), space.canonical(space.parseCombination(d)));
    assertNotEquals(ca, space.canonical(space.parseCombination(c)).orElseThrow());
  }

  @Test
  void nb101RejectsDisconnectedAndTooLargeGraphs() {
    DeclaredSpace space = nb101();
    String disconnected =
        cell(
            "0100000 0010000 0000000 0000000 0000000 0000000 0000000",
            "conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu");
    assertTrue(space.canonical(space.parseCombination(disconnected)).isEmpty());
    // A chain through all 5 nodes plus every skip from the input: 6 + 5 = 11 edges.
    String tenEdges =
        cell(
            "0111111 0010000 0001000 0000100 0000010 0000001 0000000",
            "conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu");
    assertTrue(space.canonical(space.parseCombination(tenEdges)).isEmpty());
    InvalidArchitectureException e =
        assertThrows(InvalidArchitectureException.class, () -> space.parse(tenEdges));
    assertTrue(e.getMessage().contains("breaks the space's constraints"), e.getMessage());
  }

  @Test
  void nb101MovesStayAmongMembers() {
    DeclaredSpace space = nb101();
    SplittableRandom rng = new SplittableRandom(7);
    Set<Architecture> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      Architecture a = space.sample(rng);
      assertTrue(space.contains(a));
      seen.add(a);
      Architecture m = space.mutate(a, rng);
      assertTrue(space.contains(m));
      assertNotEquals(a, m);
    }
    assertTrue(seen.size() > 1_990, "uniform over 423,624 members rarely repeats");
    Architecture a = space.sample(rng);
    List<Architecture> near = space.neighbours(a);
    assertFalse(near.isEmpty());
    assertEquals(near.size(), new HashSet<>(near).size());
    near.forEach(n -> assertTrue(space.contains(n) && !n.equals(a)));
  }

  @Test
  void theBareNb101CellStillMutatesAndHasNeighbours() {
    DeclaredSpace space = nb101();
    // Only input -> output: every single added edge dangles, every op change is on a pruned node.
    Architecture bare =
        space.parse(
            cell(
                "0000001 0000000 0000000 0000000 0000000 0000000 0000000",
                "conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu"));
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 100; i++) {
      Architecture m = space.mutate(bare, rng);
      assertTrue(space.contains(m));
      assertNotEquals(bare, m);
    }
    List<Architecture> near = space.neighbours(bare);
    assertFalse(near.isEmpty(), "falls back to two changes");
    near.forEach(n -> assertTrue(space.contains(n) && !n.equals(bare)));
  }

  @Test
  void dartsCountsTheFullCellPairSpace() {
    DeclaredSpace space = darts();
    // Per cell: node i picks 2 of its i+2 inputs (unordered) and 7 operations for each.
    BigInteger cell = BigInteger.valueOf(1 * 3 * 6 * 10).multiply(BigInteger.valueOf(49).pow(4));
    assertEquals(cell.pow(2), space.memberCount());
    assertEquals(0, space.size(), "too many to number");
    assertEquals(1.077e18, space.memberCount().doubleValue(), 0.001e18);
  }

  @Test
  void dartsMovesGiveMembersWithDistinctSortedInputs() {
    DeclaredSpace space = darts();
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < 5_000; i++) {
      Architecture a = space.sample(rng);
      assertTrue(space.contains(a), space.exampleArchitecture());
      Architecture m = space.mutate(a, rng);
      assertTrue(space.contains(m));
      assertNotEquals(a, m);
    }
    Architecture a = space.sample(rng);
    List<Architecture> near = space.neighbours(a);
    assertFalse(near.isEmpty());
    near.forEach(n -> assertTrue(space.contains(n) && !n.equals(a)));
    String member = space.format(a);
    assertEquals(a, space.parse(member));
  }

  @Test
  void dartsRejectsRepeatedOrUnsortedInputsAndCanonicalisesThem() {
    DeclaredSpace space = darts();
    String cell =
        "sep_conv_3x3~0;sep_conv_5x5~1;skip_connect~0;max_pool_3x3~2;"
            + "dil_conv_3x3~3;avg_pool_3x3~1;sep_conv_3x3~4;sep_conv_3x3~0";
    String unsorted =
        "sep_conv_3x3~0;sep_conv_5x5~1;max_pool_3x3~2;skip_connect~0;"
            + "dil_conv_3x3~3;avg_pool_3x3~1;sep_conv_3x3~4;sep_conv_3x3~0";
    String sorted =
        "sep_conv_3x3~0;sep_conv_5x5~1;skip_connect~0;max_pool_3x3~2;"
            + "avg_pool_3x3~1;dil_conv_3x3~3;sep_conv_3x3~0;sep_conv_3x3~4";
    assertFalse(space.contains(space.parseCombination(cell + "|" + sorted)));
    assertTrue(space.contains(space.parseCombination(sorted + "|" + sorted)));
    assertEquals(
        space.parseCombination(sorted + "|" + sorted),
        space.canonical(space.parseCombination(unsorted + "|" + cell)).orElseThrow());
    String repeated =
        sorted.replace("sep_conv_3x3~0;sep_conv_3x3~4", "sep_conv_3x3~0;dil_conv_5x5~0");
    assertTrue(space.canonical(space.parseCombination(repeated + "|" + sorted)).isEmpty());
  }

  @Test
  void dartsTrainsOnTheNb301SubsetAndNb101OnNaslibsCells() {
    DataDirectory data = DataDirectory.fromEnvironment();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        data.find("nb301_naslib_subset.csv").isPresent(), "shared benchmark data not found");
    SpaceCatalog.Loaded darts = SpaceCatalog.builtIn("darts", data);
    BenchmarkTable table = darts.table().orElseThrow();
    List<Architecture> labelled = table.labelledMembers("val_accuracy_surrogate");
    assertEquals(725, labelled.size(), "every NB301 subset cell is a distinct darts member");
    labelled.forEach(a -> assertTrue(darts.space().contains(a)));
    assertEquals(List.of("val_accuracy_surrogate"), darts.space().objectives());
    assertEquals(0, darts.space().size());

    SpaceCatalog.Loaded nb101 = SpaceCatalog.builtIn("nb101", data);
    List<Architecture> cells = nb101.table().orElseThrow().labelledMembers("val_accuracy");
    cells.forEach(a -> assertTrue(nb101.space().contains(a)));
    // NASLib's 500 cells are unpruned random specs: they prune to 292 distinct graphs (55 of them
    // to
    // the bare input -> output edge), as NB101's own hash_module also finds.
    assertEquals(292, cells.size());
    assertEquals(423_624, nb101.space().size());
  }

  @Test
  void constraintErrorsNameTheField() {
    String base =
        "{\"id\": \"c\", \"decisions\": [{\"name\": \"a\", \"options\": [\"0\", \"1\"]},"
            + " {\"name\": \"b\", \"options\": [\"0\", \"1\"]}], \"format\": \"{a}{b}\",";
    assertProblem(
        base + "\"constraints\": {\"unordered\": [[[\"a\"], [\"x\"]]]}}",
        "constraints.unordered[0][1][0]: 'x' is not a decision");
    assertProblem(
        base + "\"constraints\": {\"unordered\": [[[\"a\"]]]}}",
        "constraints.unordered[0]: needs at least 2 groups");
    assertProblem(
        base + "\"constraints\": {\"connected\": true}}",
        "constraints.connected: needs a node-form graph");
    assertProblem(
        base + "\"constraints\": {\"max_edges\": -1}}", "constraints.max_edges: must be >= 0");
    String graph =
        "\"graph\": {\"nodes\": 3, \"labels\": {\"input\": [0], \"output\": [2]},"
            + " \"adjacency\": {\"a\": [0, 2]}, \"node_ops\": {\"b\": 1}},";
    assertProblem(
        base + graph + "\"constraints\": {\"connected\": true, \"canonical\": \"iso\"}}",
        "constraints.canonical: must be \"isomorphism\"");
    assertProblem(
        base + graph + "\"constraints\": {\"canonical\": \"isomorphism\"}}",
        "constraints.canonical: \"isomorphism\" needs \"connected\": true");
    assertProblem(
        base
            + "\"membership\": \"table\", \"table\": {\"file\": \"t.csv\", \"key\": \"{k}\"},"
            + " \"constraints\": {\"unordered\": [[[\"a\"], [\"b\"]]]}}",
        "constraints: apply to membership \"all\"");
  }

  private static void assertProblem(String json, String expected) {
    InvalidDeclarationException e =
        assertThrows(
            InvalidDeclarationException.class,
            () ->
                SpaceCatalog.parse(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "c.json"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
