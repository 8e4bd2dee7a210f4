package io.nassearch.coordinator.space.declared;

import io.nassearch.api.codes.CodedLayout;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.CellDag;
import io.nassearch.coordinator.space.CellGraph;
import io.nassearch.coordinator.space.Encoding;
import io.nassearch.coordinator.space.Encodings;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A categorical space declared as data (see {@link SpaceDeclaration}): named decisions with their
 * options, a canonical string template, and either every combination of options as members or only
 * the combinations listed by a benchmark table (for benchmarks that hold a subset, or drop
 * isomorphic cells). Features come from the named {@link Encoding} (one-hot by default).
 *
 * <p>{@link #mutate} changes one decision, chosen uniformly, to another of its options, chosen
 * uniformly. With table membership, moves stay inside the table: a uniform pick among the members
 * one decision away or, when there are none, the members at the smallest Hamming distance. With
 * {@link Constraints} (membership all with a {@code constraints} object), only the combinations the
 * constraints admit are members, each in its canonical form; sampling, mutation and neighbours go
 * through {@link Constraints}, and {@link #size()} is 0 above 2^31 members ({@link #memberCount()}
 * still counts them). Immutable and thread-safe.
 */
public final class DeclaredSpace implements EnumerableSearchSpace {
  /** One decision and its options, in declaration order. */
  public record Decision(String name, List<String> options) {
    public Decision {
      options = List.copyOf(options);
    }
  }

  private final String id;
  private final String description;
  private final List<Decision> decisions;
  private final Template template;
  private final Pattern pattern;
  private final Map<String, List<String>> allowed;
  private final List<String> objectives;
  private final String encodingName;
  private final Encoding encoding;

  /** The cell DAG the decisions put operations on, when the declaration describes one. */
  private final CellDag graph;

  /**
   * Members in ordinal order when membership comes from a table; null when every combination is a
   * member.
   */
  private final List<Architecture> members;

  private final Map<Architecture, Integer> memberOrdinal;
  private final long size;
  private final Moves moves;

  /** Which combinations are members when every combination is not (membership all); or null. */
  private final Constraints constraints;

  /**
   * @param encodingName a registered {@link Encoding} name, e.g. {@code onehot} or {@code nb201}
   * @param graph the cell DAG an architecture becomes, or null
   * @param constraints which combinations are members (and their canonical form) when {@code
   *     members} is null; null when every combination is one
   */
  public DeclaredSpace(
      String id,
      String description,
      List<Decision> decisions,
      String template,
      List<String> objectives,
      List<Architecture> members,
      String encodingName,
      CellDag graph,
      Constraints constraints) {
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("space '" + id + "' declares no decisions");
    }
    this.id = id;
    this.description = description;
    this.decisions = List.copyOf(decisions);
    this.template = new Template(template);
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    for (Decision d : decisions) {
      if (d.options().size() < 2) {
        throw new IllegalArgumentException(
            "decision '" + d.name() + "' of space '" + id + "' needs at least 2 options");
      }
      if (allowed.put(d.name(), d.options()) != null) {
        throw new IllegalArgumentException(
            "decision '" + d.name() + "' of space '" + id + "' is declared twice");
      }
    }
    if (!new java.util.HashSet<>(this.template.names()).equals(allowed.keySet())
        || this.template.names().size() != allowed.size()) {
      throw new IllegalArgumentException(
          "format '"
              + template
              + "' of space '"
              + id
              + "' must name every decision exactly once: "
              + allowed.keySet());
    }
    this.pattern = this.template.pattern(allowed);
    this.allowed = allowed;
    this.objectives = List.copyOf(objectives);
    long combinations = 1;
    for (Decision d : decisions) {
      combinations =
          combinations > Long.MAX_VALUE / d.options().size()
              ? 0
              : combinations * d.options().size();
    }
    this.encodingName = encodingName;
    this.encoding =
        Encodings.create(encodingName, decisions.stream().map(Decision::options).toList(), graph);
    CellGraph edgeForm = graph == null ? null : graph.edgeForm().orElse(null);
    if (edgeForm != null && edgeForm.edges() != decisions.size()) {
      throw new IllegalArgumentException(
          "the graph of space '"
              + id
              + "' has "
              + edgeForm.edges()
              + " edges for "
              + decisions.size()
              + " decisions; each decision is the operation on one edge");
    }
    this.graph = graph;
    this.constraints = constraints;
    if (members != null) {
      this.members = List.copyOf(members);
      this.memberOrdinal = new HashMap<>();
      for (int i = 0; i < members.size(); i++) {
        if (memberOrdinal.put(members.get(i), i) != null) {
          throw new IllegalArgumentException(
              "space '" + id + "' lists " + render(members.get(i)) + " twice");
        }
      }
      this.size = members.size();
    } else {
      this.members = null;
      this.memberOrdinal = null;
      // 0: too many combinations to number (only table membership makes such a space searchable).
      this.size =
          constraints != null
              ? (constraints.numbered() ? countOrZero(constraints.memberCount()) : 0)
              : (combinations > Integer.MAX_VALUE ? 0 : combinations);
    }
    this.moves = new Moves(this.decisions, this.members, this::contains, constraints);
  }

  private static long countOrZero(java.math.BigInteger count) {
    return count.compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE)) > 0
        ? 0
        : count.longValue();
  }

  /**
   * The same space with another member list (the rows of a table), or every combination for null.
   */
  public DeclaredSpace withMembers(List<Architecture> newMembers) {
    return copy(objectives, newMembers);
  }

  /** This space with another registered encoding, e.g. {@code graph} for a graph family. */
  public DeclaredSpace encodedAs(String otherEncoding) {
    return new DeclaredSpace(
        id,
        description,
        decisions,
        template.toString(),
        objectives,
        members,
        otherEncoding,
        graph,
        constraints);
  }

  public DeclaredSpace withObjectives(List<String> newObjectives) {
    return copy(newObjectives, members);
  }

  private DeclaredSpace copy(List<String> newObjectives, List<Architecture> newMembers) {
    return new DeclaredSpace(
        id,
        description,
        decisions,
        template.toString(),
        newObjectives,
        newMembers,
        encodingName,
        graph,
        constraints);
  }

  public List<Decision> decisions() {
    return decisions;
  }

  /** The declared constraints on members, or null when every combination (or table row) is one. */
  public Constraints constraints() {
    return constraints;
  }

  /**
   * How many members the space has, also when {@link #size()} is 0 because there are too many to
   * number; null when unknown (rejection-sampled graph rules over a huge space).
   */
  public java.math.BigInteger memberCount() {
    if (members != null || constraints == null) {
      java.math.BigInteger n = java.math.BigInteger.ONE;
      if (members != null) {
        return java.math.BigInteger.valueOf(members.size());
      }
      for (Decision d : decisions) {
        n = n.multiply(java.math.BigInteger.valueOf(d.options().size()));
      }
      return n;
    }
    return constraints.memberCount();
  }

  /**
   * The member a combination of options stands for: itself when every combination is a member; with
   * constraints, the canonical form (groups sorted, graph pruned and relabelled); empty when it
   * stands for no member. {@link #parse} accepts only canonical forms; this is how a benchmark
   * table's keys (e.g. unpruned NAS-Bench-101 cells) become members.
   */
  public Optional<Architecture> canonical(Architecture combination) {
    if (combination == null || combination.size() != decisions.size()) {
      return Optional.empty();
    }
    for (int d = 0; d < decisions.size(); d++) {
      if (combination.choice(d) >= decisions.get(d).options().size()) {
        return Optional.empty();
      }
    }
    Architecture member = combination;
    if (constraints != null) {
      int[] c = constraints.canonicalise(combination.choices());
      if (c == null) {
        return Optional.empty();
      }
      member = Architecture.of(c);
    }
    return contains(member) ? Optional.of(member) : Optional.empty();
  }

  /** The name of the encoding the declaration selected. */
  public String encodingName() {
    return encodingName;
  }

  @Override
  public Optional<CellGraph> cellGraph() {
    return graph == null ? Optional.empty() : graph.edgeForm();
  }

  @Override
  public io.nassearch.api.v1.InputLayout inputLayout() {
    return encoding.inputLayout();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int encodingWidth() {
    return encoding.width();
  }

  /** Parses without checking table membership. */
  public Architecture parseCombination(String canonical) {
    if (canonical == null) {
      throw new InvalidArchitectureException(
          "architecture is null; example of a member of '" + id + "': " + exampleArchitecture());
    }
    Matcher m = pattern.matcher(canonical);
    if (!m.matches()) {
      throw new InvalidArchitectureException(
          "'"
              + abbreviate(canonical)
              + "' does not match the form "
              + template
              + " of space '"
              + id
              + "' ("
              + template.mismatch(canonical, allowed)
              + "); example: "
              + exampleArchitecture());
    }
    int[] choices = new int[decisions.size()];
    for (int i = 0; i < template.names().size(); i++) {
      int d = indexOf(template.names().get(i));
      choices[d] = decisions.get(d).options().indexOf(m.group(i + 1));
    }
    return Architecture.of(choices);
  }

  @Override
  public Architecture parse(String canonical) {
    Architecture a = parseCombination(canonical);
    if (!contains(a)) {
      String why =
          members != null
              ? "its benchmark table has no such architecture"
              : canonical(a)
                  .map(m -> "its canonical form is " + render(m))
                  .orElse("it breaks the space's constraints");
      throw new InvalidArchitectureException(
          "'"
              + abbreviate(canonical)
              + "' is not a member of space '"
              + id
              + "' ("
              + why
              + "); example: "
              + exampleArchitecture());
    }
    return a;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private int indexOf(String name) {
    for (int d = 0; d < decisions.size(); d++) {
      if (decisions.get(d).name().equals(name)) {
        return d;
      }
    }
    throw new IllegalStateException(name);
  }

  @Override
  public String format(Architecture a) {
    validate(a);
    return render(a);
  }

  private String render(Architecture a) {
    return template.format(
        name -> {
          int d = indexOf(name);
          return decisions.get(d).options().get(a.choice(d));
        });
  }

  @Override
  public void encode(Architecture a, float[] dst, int offset) {
    encoding.encode(a, dst, offset);
  }

  @Override
  public Optional<CodedLayout> codedLayout() {
    return encoding.codedLayout();
  }

  @Override
  public void encodeCoded(Architecture a, byte[] dst, int offset) {
    encoding.encodeCoded(a, dst, offset);
  }

  @Override
  public Architecture sample(RandomGenerator rng) {
    return moves.sample(rng);
  }

  @Override
  public Architecture mutate(Architecture a, RandomGenerator rng) {
    // a designer's own member: validating it again would cost a canonical form per child
    return moves.mutate(a, rng);
  }

  @Override
  public List<Architecture> neighbours(Architecture a) {
    validate(a);
    return moves.neighbours(a);
  }

  @Override
  public boolean contains(Architecture a) {
    if (a == null || a.size() != decisions.size()) {
      return false;
    }
    for (int d = 0; d < decisions.size(); d++) {
      if (a.choice(d) < 0 || a.choice(d) >= decisions.get(d).options().size()) {
        return false;
      }
    }
    if (members != null) {
      return memberOrdinal.containsKey(a);
    }
    return constraints == null || constraints.admits(IntChoices.of(a));
  }

  @Override
  public long ordinal(Architecture a) {
    validate(a);
    requireNumbered();
    if (members != null) {
      return memberOrdinal.get(a);
    }
    if (constraints != null) {
      return constraints.ordinal(a);
    }
    long ordinal = 0;
    for (int d = 0; d < decisions.size(); d++) {
      ordinal = ordinal * decisions.get(d).options().size() + a.choice(d);
    }
    return ordinal;
  }

  private void requireNumbered() {
    if (size == 0) {
      throw new UnsupportedOperationException(
          "space '" + id + "' has more than 2^31 members, too many to number");
    }
  }

  @Override
  public Architecture fromOrdinal(long ordinal) {
    requireNumbered();
    if (ordinal < 0 || ordinal >= size) {
      throw new IllegalArgumentException(
          "ordinal " + ordinal + " outside [0, " + size + ") of space '" + id + "'");
    }
    if (members != null) {
      return members.get((int) ordinal);
    }
    if (constraints != null) {
      return constraints.fromOrdinal(ordinal);
    }
    int[] choices = new int[decisions.size()];
    for (int d = decisions.size() - 1; d >= 0; d--) {
      int n = decisions.get(d).options().size();
      choices[d] = (int) (ordinal % n);
      ordinal /= n;
    }
    return Architecture.of(choices);
  }

  @Override
  public List<String> objectives() {
    return objectives;
  }

  @Override
  public String exampleArchitecture() {
    return render(
        members != null && !members.isEmpty()
            ? members.get(0)
            : constraints != null
                ? constraints.first()
                : Architecture.of(new int[decisions.size()]));
  }
}
