package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A categorical search space: a fixed list of decisions, each with a finite set of options. It
 * parses and formats the canonical string form, encodes architectures as features for the
 * surrogate, and offers the moves search algorithms need (sample, mutate, neighbours).
 *
 * <p>Implementations are immutable and thread-safe; randomness comes only from the generator passed
 * in.
 */
public interface SearchSpace {
  /** Short stable id, e.g. {@code nb201}. */
  String id();

  String description();

  /**
   * Number of architectures, or 0 when unbounded or too many to number: callers that walk or index
   * every member treat 0 as "too many". Declared spaces return 0 above 2^31 members (e.g. the DARTS
   * space, about 10^18).
   */
  long size();

  /** Number of floats {@link #encode} writes. */
  int encodingWidth();

  /**
   * Parses the canonical string form. Throws {@link InvalidArchitectureException} for anything
   * else, null included.
   */
  Architecture parse(String canonical);

  /** The canonical string form; {@code parse(format(a)).equals(a)}. */
  String format(Architecture a);

  /**
   * Writes {@link #encodingWidth()} floats for {@code a} into {@code dst} starting at {@code
   * offset}.
   */
  void encode(Architecture a, float[] dst, int offset);

  /**
   * The compact wire form of {@link #encode}, one byte per field, when the encoding is made of
   * one-hot fields and small counts; empty otherwise (the features then travel as floats).
   */
  default Optional<CodedLayout> codedLayout() {
    return Optional.empty();
  }

  /**
   * Writes {@code codedLayout().fields()} bytes for {@code a} into {@code dst} from {@code offset};
   * expanding them gives exactly what {@link #encode} writes. Only for spaces with a {@link
   * #codedLayout()}.
   */
  default void encodeCoded(Architecture a, byte[] dst, int offset) {
    throw new UnsupportedOperationException("space '" + id() + "' has no coded encoding");
  }

  /** How {@link #encode} lays out a row for the surrogate: flat unless the encoding is a graph. */
  default io.nassearch.api.v1.InputLayout inputLayout() {
    return io.nassearch.api.v1.InputLayout.getDefaultInstance();
  }

  /**
   * The cell DAG that decisions put operations on, for spaces that are cells with ops on edges;
   * else empty.
   */
  default Optional<CellGraph> cellGraph() {
    return Optional.empty();
  }

  /** A uniformly random member. */
  Architecture sample(RandomGenerator rng);

  /**
   * A copy of {@code a} with exactly one decision changed to a different option, chosen uniformly.
   * Spaces whose members are canonical forms (declared constraints) return the member that change
   * stands for, which may differ from {@code a} in more places (e.g. reordered or relabelled).
   */
  Architecture mutate(Architecture a, RandomGenerator rng);

  /**
   * Every architecture that differs from {@code a} in exactly one decision, in a deterministic
   * order.
   */
  List<Architecture> neighbours(Architecture a);

  boolean contains(Architecture a);

  /**
   * Throws {@link InvalidArchitectureException} unless {@link #contains(Architecture) contains(a)}.
   */
  default void validate(Architecture a) {
    if (a == null || !contains(a)) {
      throw new InvalidArchitectureException(
          a
              + " is not a member of space '"
              + id()
              + "'; example of a member: "
              + exampleArchitecture());
    }
  }

  /**
   * Benchmark-table columns usable as search objectives, the default first; empty when the space
   * has no table.
   */
  List<String> objectives();

  /** A valid canonical string, for error messages and documentation. */
  String exampleArchitecture();
}
