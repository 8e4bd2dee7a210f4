package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.Nb201Space;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Encodings are chosen by name in a declaration; NB201's 40-feature encoding comes out
 * bit-identical that way.
 */
class DeclaredEncodingTest {
  private static final String OPS =
      "[\"none\",\"skip_connect\",\"nor_conv_1x1\",\"nor_conv_3x3\",\"avg_pool_3x3\"]";

  private static DeclaredSpace nb201Declared(String encoding) {
    StringBuilder json = new StringBuilder("{\"id\":\"nb201_declared\",\"decisions\":[");
    for (int e = 0; e < 6; e++) {
      json.append(e == 0 ? "" : ",")
          .append("{\"name\":\"e")
          .append(e)
          .append("\",\"options\":")
          .append(OPS)
          .append('}');
    }
    json.append(
            "],\"format\":\"|{e0}~0|+|{e1}~0|{e2}~1|+|{e3}~0|{e4}~1|{e5}~2|\",\"membership\":\"all\",\"encoding\":\"")
        .append(encoding)
        .append(
            "\",\"graph\":{\"nodes\":4,\"edges\":[[0,1],[0,2],[1,2],[0,3],[1,3],[2,3]],\"none\":\"none\"}}");
    SpaceDeclaration d =
        SpaceCatalog.parse(
            new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)), "test");
    return SpaceCatalog.load(d, DataDirectory.none()).orElseThrow().space();
  }

  @Test
  void theNb201EncodingSelectedByNameIsBitIdenticalOnAll15625Cells() {
    Nb201Space builtIn = new Nb201Space();
    DeclaredSpace declared = nb201Declared("nb201");
    assertEquals(builtIn.encodingWidth(), declared.encodingWidth());
    assertEquals(builtIn.codedLayout(), declared.codedLayout());
    int fields = builtIn.codedLayout().orElseThrow().fields();
    for (long i = 0; i < builtIn.size(); i++) {
      Architecture a = builtIn.fromOrdinal(i);
      assertEquals(builtIn.format(a), declared.format(declared.fromOrdinal(i)), "same ordinals");
      float[] expected = new float[40];
      float[] actual = new float[40];
      builtIn.encode(a, expected, 0);
      declared.encode(a, actual, 0);
      assertArrayEquals(expected, actual, builtIn.format(a));
      byte[] expectedCodes = new byte[fields];
      byte[] actualCodes = new byte[fields];
      builtIn.encodeCoded(a, expectedCodes, 0);
      declared.encodeCoded(a, actualCodes, 0);
      assertArrayEquals(expectedCodes, actualCodes, builtIn.format(a));
    }
    assertEquals(
        builtIn.cellGraph().orElseThrow().paths().size(),
        declared.cellGraph().orElseThrow().paths().size());
  }

  @Test
  void onehotIsTheDefaultAndUnknownOrMisfittingEncodingsAreRejectedByName() {
    assertEquals(30, nb201Declared("onehot").encodingWidth());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> nb201Declared("gin"));
    assertTrue(
        unknown.getMessage().contains("unknown encoding 'gin'")
            && unknown.getMessage().contains("nb201"),
        unknown.getMessage());
    String twoDecisions =
        "{\"id\":\"toy\",\"decisions\":[{\"name\":\"a\",\"options\":[\"x\",\"y\"]},"
            + "{\"name\":\"b\",\"options\":[\"x\",\"y\"]}],\"format\":\"{a}-{b}\",\"encoding\":\"nb201\"}";
    SpaceDeclaration d =
        SpaceCatalog.parse(
            new ByteArrayInputStream(twoDecisions.getBytes(StandardCharsets.UTF_8)), "toy");
    IllegalArgumentException misfit =
        assertThrows(
            IllegalArgumentException.class, () -> SpaceCatalog.load(d, DataDirectory.none()));
    assertTrue(
        misfit.getMessage().contains("encoding nb201 needs 6 decisions"), misfit.getMessage());
  }
}
