package io.nassearch.coordinator.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.space.declared.SpaceDeclaration;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Encodings are chosen by name in a declaration; the built-in NB201 declaration gives the same
 * cells, features and mutation draws as the hand-written space it replaced.
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

  /**
   * SHA-256 over every cell in ordinal order (canonical string, 40 float features, coded row),
   * recorded from the hand-written NB201 space this declaration replaced.
   */
  private static final String NB201_CELLS_SHA256 =
      "ba0ee3513ca554e9ba2d4593cd37cf5f1f180b8eb30845a0d9135dea22b289dc";

  /** SHA-256 of 1,000 chained mutations (ordinals) from seed 7, recorded the same way. */
  private static final String NB201_MUTATIONS_SHA256 =
      "4938a4b5f7f058ae71c3fef7d819417e537de75e8c9b1557867e9bc947b7a551";

  @Test
  void theDeclaredNb201IsBitIdenticalToTheHandWrittenSpaceItReplaced() throws Exception {
    DeclaredSpace nb201 = SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
    MessageDigest cells = MessageDigest.getInstance("SHA-256");
    int fields = nb201.codedLayout().orElseThrow().fields();
    for (long i = 0; i < nb201.size(); i++) {
      Architecture a = nb201.fromOrdinal(i);
      cells.update(nb201.format(a).getBytes(StandardCharsets.UTF_8));
      float[] features = new float[nb201.encodingWidth()];
      nb201.encode(a, features, 0);
      ByteBuffer bits = ByteBuffer.allocate(4 * features.length);
      for (float x : features) {
        bits.putInt(Float.floatToRawIntBits(x));
      }
      cells.update(bits.array());
      byte[] codes = new byte[fields];
      nb201.encodeCoded(a, codes, 0);
      cells.update(codes);
    }
    assertEquals(NB201_CELLS_SHA256, HexFormat.of().formatHex(cells.digest()));
    SplittableRandom rng = new SplittableRandom(7);
    Architecture current = nb201.sample(rng);
    StringBuilder chain = new StringBuilder();
    for (int k = 0; k < 1000; k++) {
      current = nb201.mutate(current, rng);
      chain.append(nb201.ordinal(current)).append(',');
    }
    assertEquals(
        NB201_MUTATIONS_SHA256,
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(chain.toString().getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void theNb201EncodingSelectedByNameMatchesTheBuiltIn() {
    DeclaredSpace builtIn = SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
    DeclaredSpace declared = nb201Declared("nb201");
    float[] expected = new float[40];
    float[] actual = new float[40];
    for (long i = 0; i < builtIn.size(); i += 97) {
      Architecture a = builtIn.fromOrdinal(i);
      assertEquals(builtIn.format(a), declared.format(declared.fromOrdinal(i)), "same ordinals");
      builtIn.encode(a, expected, 0);
      declared.encode(a, actual, 0);
      assertArrayEquals(expected, actual, builtIn.format(a));
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
        unknown.getMessage().contains("encoding: must be one of")
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
