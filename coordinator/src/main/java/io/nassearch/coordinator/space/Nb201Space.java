package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The NAS-Bench-201 / NATS-Bench topology space: a 4-node cell whose 6 edges each carry one of 5
 * ops, 5^6 = 15,625 architectures.
 *
 * <p>Canonical form {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}: the k-th {@code +}-separated group
 * lists the edges into node k, and {@code op~j} is the op applied to node j's output. Decision
 * {@code i} of an {@link Architecture} is the i-th edge in that string order, its value the op's
 * position in {@link #OPS}. The encoding ({@link Nb201Encoding}, 40 floats) is a one-hot per edge
 * with dead edges pruned, plus counts and path statistics. {@link #ordinal} is the base-5 number
 * with the first edge as the most significant digit; it is not the benchmark's own index (see
 * {@code BenchmarkTable.benchmarkIndex}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Nb201Space implements EnumerableSearchSpace {
  public static final String ID = "nb201";
  public static final List<String> OPS =
      List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
  public static final int EDGES = 6;
  public static final long SIZE = 15_625;

  private static final int NODES = 3;
  private static final String FORM = "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|";
  private static final String BEST_CIFAR10 =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
  private static final String EXPECTED =
      "expected the form " + FORM + " with op one of " + OPS + ", e.g. " + BEST_CIFAR10;

  private static final CellGraph GRAPH =
      new CellGraph(4, Nb201Encoding.FROM, Nb201Encoding.TO, OPS, 0);

  private final List<String> objectives;

  /** The space without a benchmark table: {@link #objectives()} is empty. */
  public Nb201Space() {
    this(List.of());
  }

  /** The space with the given objective columns, default first. */
  public Nb201Space(List<String> objectives) {
    this.objectives = List.copyOf(objectives);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "NAS-Bench-201 cell: 6 edges x 5 ops (none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3), "
        + "15,625 architectures";
  }

  @Override
  public Optional<CellGraph> cellGraph() {
    return Optional.of(GRAPH);
  }

  @Override
  public long size() {
    return SIZE;
  }

  @Override
  public int encodingWidth() {
    return Nb201Encoding.INSTANCE.width();
  }

  @Override
  public Architecture parse(String canonical) {
    if (canonical == null) {
      throw invalid("architecture is null");
    }
    if (canonical.isEmpty()) {
      throw invalid("architecture is empty");
    }
    for (int i = 0; i < canonical.length(); i++) {
      if (Character.isWhitespace(canonical.charAt(i))) {
        throw invalid("'" + canonical + "' contains whitespace at position " + i);
      }
    }
    String[] nodes = canonical.split("\\+", -1);
    if (nodes.length != NODES) {
      throw invalid(
          "'" + canonical + "' has " + nodes.length + " '+'-separated nodes, not " + NODES);
    }
    int[] choices = new int[EDGES];
    for (int k = 1; k <= NODES; k++) {
      String node = nodes[k - 1];
      if (node.length() < 2 || node.charAt(0) != '|' || node.charAt(node.length() - 1) != '|') {
        throw invalid("node " + k + " '" + node + "' must start and end with '|'");
      }
      String[] edges = node.substring(1, node.length() - 1).split("\\|", -1);
      if (edges.length != k) {
        throw invalid(
            "node "
                + k
                + " '"
                + node
                + "' has "
                + edges.length
                + " edges, not "
                + k
                + " (one from each earlier node)");
      }
      for (int j = 0; j < k; j++) {
        choices[edgeIndex(k, j)] = parseEdge(edges[j], k, j);
      }
    }
    return Architecture.of(choices);
  }

  private static int parseEdge(String edge, int node, int input) {
    int tilde = edge.indexOf('~');
    if (tilde < 0 || edge.indexOf('~', tilde + 1) >= 0) {
      throw invalid("edge '" + edge + "' into node " + node + " must be op~input");
    }
    String op = edge.substring(0, tilde);
    int opIndex = OPS.indexOf(op);
    if (opIndex < 0) {
      throw invalid("unknown op '" + op + "' on edge " + input + " into node " + node);
    }
    String from = edge.substring(tilde + 1);
    if (!from.equals(Integer.toString(input))) {
      throw invalid(
          "edge '"
              + edge
              + "' is edge "
              + input
              + " into node "
              + node
              + ", so its input node must be "
              + input
              + ", not '"
              + from
              + "'");
    }
    return opIndex;
  }

  private static int edgeIndex(int node, int input) {
    return node * (node - 1) / 2 + input;
  }

  private static InvalidArchitectureException invalid(String problem) {
    return new InvalidArchitectureException(
        "Invalid NAS-Bench-201 architecture: " + problem + "; " + EXPECTED);
  }

  @Override
  public String format(Architecture a) {
    validate(a);
    StringBuilder sb = new StringBuilder(96);
    for (int k = 1; k <= NODES; k++) {
      if (k > 1) {
        sb.append('+');
      }
      sb.append('|');
      for (int j = 0; j < k; j++) {
        sb.append(OPS.get(a.choice(edgeIndex(k, j)))).append('~').append(j).append('|');
      }
    }
    return sb.toString();
  }

  @Override
  public void encode(Architecture a, float[] dst, int offset) {
    validate(a);
    Nb201Encoding.INSTANCE.encode(a, dst, offset);
  }

  @Override
  public Optional<CodedLayout> codedLayout() {
    return Nb201Encoding.INSTANCE.codedLayout();
  }

  @Override
  public void encodeCoded(Architecture a, byte[] dst, int offset) {
    validate(a);
    Nb201Encoding.INSTANCE.encodeCoded(a, dst, offset);
  }

  @Override
  public Architecture sample(RandomGenerator rng) {
    int[] choices = new int[EDGES];
    for (int e = 0; e < EDGES; e++) {
      choices[e] = rng.nextInt(OPS.size());
    }
    return Architecture.of(choices);
  }

  @Override
  public Architecture mutate(Architecture a, RandomGenerator rng) {
    validate(a);
    int edge = rng.nextInt(EDGES);
    int op = (a.choice(edge) + 1 + rng.nextInt(OPS.size() - 1)) % OPS.size();
    return a.with(edge, op);
  }

  @Override
  public List<Architecture> neighbours(Architecture a) {
    validate(a);
    List<Architecture> out = new ArrayList<>(EDGES * (OPS.size() - 1));
    for (int e = 0; e < EDGES; e++) {
      for (int op = 0; op < OPS.size(); op++) {
        if (op != a.choice(e)) {
          out.add(a.with(e, op));
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean contains(Architecture a) {
    if (a == null || a.size() != EDGES) {
      return false;
    }
    for (int e = 0; e < EDGES; e++) {
      if (a.choice(e) >= OPS.size()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long ordinal(Architecture a) {
    validate(a);
    long code = 0;
    for (int e = 0; e < EDGES; e++) {
      code = code * OPS.size() + a.choice(e);
    }
    return code;
  }

  @Override
  public Architecture fromOrdinal(long ordinal) {
    if (ordinal < 0 || ordinal >= SIZE) {
      throw new IllegalArgumentException(
          "NAS-Bench-201 ordinal must be in [0, " + SIZE + "), got " + ordinal);
    }
    int[] choices = new int[EDGES];
    long rest = ordinal;
    for (int e = EDGES - 1; e >= 0; e--) {
      choices[e] = (int) (rest % OPS.size());
      rest /= OPS.size();
    }
    return Architecture.of(choices);
  }

  @Override
  public List<String> objectives() {
    return objectives;
  }

  @Override
  public String exampleArchitecture() {
    return BEST_CIFAR10;
  }

  @Override
  public String toString() {
    return "Nb201Space" + objectives;
  }
}
