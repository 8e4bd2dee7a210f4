package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.List;
import java.util.Optional;

/**
 * How the architectures of one space become the surrogate's features. Encodings are named and
 * chosen in a space's declaration ({@code "encoding": "nb201"}); a {@link Factory} makes one for
 * the space's decisions. Immutable and thread-safe.
 */
public interface Encoding {
  /** Number of floats {@link #encode} writes. */
  int width();

  /** Writes {@link #width()} floats for {@code a} into {@code dst} from {@code offset}. */
  void encode(Architecture a, float[] dst, int offset);

  /** How a row is laid out for the surrogate: flat unless the encoding is a graph. */
  default io.nassearch.api.v1.InputLayout inputLayout() {
    return io.nassearch.api.v1.InputLayout.getDefaultInstance();
  }

  /**
   * The compact wire form, one byte per field, when the features are one-hot fields and small
   * counts; empty otherwise (the features then travel as floats).
   */
  default Optional<CodedLayout> codedLayout() {
    return Optional.empty();
  }

  /**
   * Writes {@code codedLayout().fields()} bytes that expand to exactly what {@link #encode} writes.
   */
  default void encodeCoded(Architecture a, byte[] dst, int offset) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no coded form");
  }

  /**
   * Makes an encoding by name. Factories are found with {@link java.util.ServiceLoader} through
   * {@code META-INF/services/io.nassearch.coordinator.space.Encoding$Factory}, so a new encoding is
   * one class (and its line there); a declaration then selects it by name.
   */
  interface Factory {
    /** lower_snake_case name used in declarations, e.g. {@code onehot}. */
    String name();

    /**
     * An encoding for a space whose decision {@code i} takes one of {@code options.get(i)}; throws
     * {@link IllegalArgumentException} saying why when the decisions do not fit this encoding.
     */
    Encoding create(List<List<String>> options);

    /** As above, for a space that declares a graph ({@code graph} may be null). */
    default Encoding create(List<List<String>> options, CellDag graph) {
      return create(options);
    }
  }
}
