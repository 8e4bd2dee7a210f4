package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.List;
import java.util.Optional;

/**
 * Architectures encoded for a surrogate, once: as the space's coded rows (a byte per field) where
 * it has a compact encoding, else as float features ({@code width} per row).
 *
 * @param layout the coded layout; empty when the rows are floats
 * @param codes the coded rows, or null
 * @param features the float rows, or null
 */
public record EncodedRows(
    int rows, int width, Optional<CodedLayout> layout, byte[] codes, float[] features) {

  public static EncodedRows of(SearchSpace space, List<Architecture> architectures) {
    int rows = architectures.size();
    Optional<CodedLayout> layout = space.codedLayout();
    if (layout.isPresent()) {
      int fields = layout.get().fields();
      byte[] codes = new byte[rows * fields];
      for (int i = 0; i < rows; i++) {
        space.encodeCoded(architectures.get(i), codes, i * fields);
      }
      return new EncodedRows(rows, space.encodingWidth(), layout, codes, null);
    }
    int width = space.encodingWidth();
    float[] features = new float[rows * width];
    for (int i = 0; i < rows; i++) {
      space.encode(architectures.get(i), features, i * width);
    }
    return new EncodedRows(rows, width, layout, null, features);
  }

  public boolean coded() {
    return layout.isPresent();
  }
}
