package io.nassearch.coordinator.space;

import io.nassearch.api.codes.CodedLayout;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Feature vector of a NAS-Bench-201 cell for the surrogate: 40 floats computed from the cell alone.
 *
 * <p>An edge is <em>live</em> when its op is not {@code none} and it lies on a path of non-none
 * edges from the input (node 0) to the output (node 3); other edges cannot change the network's
 * function. Layout:
 *
 * <ul>
 *   <li>[0, 30): one-hot per edge (string order) of the op, with dead edges encoded as {@code
 *       none}, so cells that compute the same function share features;
 *   <li>[30]: 1 when no edge is live (the 341 cells without an input-output path);
 *   <li>[31, 35): number of live skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3 edges;
 *   <li>[35, 40): over the input-output paths without a {@code none} edge: their number, the
 *       longest one's length in edges, the most and the fewest convolutions on one, and 1 if one
 *       has none.
 * </ul>
 *
 * <p>Against a plain one-hot of the 6 edges, this lifted mean Kendall tau of the default surrogate
 * from 0.618 to 0.731 (100 training architectures) and from 0.843 to 0.887 (1000); see README.
 *
 * <p>Selected as {@code "encoding": "nb201"}; it needs the NB201 cell's decisions: 6 edges in
 * string order, each with the options {@link #OP_NAMES}.
 */
public final class Nb201Encoding implements Encoding {
  public static final String NAME = "nb201";
  public static final List<String> OP_NAMES =
      List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
  public static final Nb201Encoding INSTANCE = new Nb201Encoding();
  static final int WIDTH = 40;

  private static final int NONE = 0;
  private static final int CONV_1X1 = 2;
  private static final int CONV_3X3 = 3;
  private static final int OPS = 5;

  /** Edge i goes from FROM[i] to TO[i], in canonical string order. */
  public static final int[] FROM = {0, 0, 1, 0, 1, 2};

  public static final int[] TO = {1, 2, 2, 3, 3, 3};

  /** The four input-output paths as edge lists: 0-3, 0-1-3, 0-2-3, 0-1-2-3. */
  private static final int[][] PATHS = {{3}, {0, 4}, {1, 5}, {0, 2, 5}};

  private Nb201Encoding() {}

  /** Registers {@value #NAME}. */
  public static final class Factory implements Encoding.Factory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Encoding create(List<List<String>> options) {
      if (!options.equals(Collections.nCopies(FROM.length, OP_NAMES))) {
        throw new IllegalArgumentException(
            "encoding nb201 needs "
                + FROM.length
                + " decisions (the cell's edges in "
                + "string order), each with the options "
                + OP_NAMES);
      }
      return INSTANCE;
    }
  }

  @Override
  public int width() {
    return WIDTH;
  }

  @Override
  public Optional<CodedLayout> codedLayout() {
    return Optional.of(CODED);
  }

  /**
   * 6 edges one-hot over 5 ops, then the no-live-edge flag, 4 live-op counts and 5 path statistics
   * as counts.
   */
  static final CodedLayout CODED =
      new CodedLayout(OPS, OPS, OPS, OPS, OPS, OPS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  @Override
  public void encode(Architecture a, float[] dst, int offset) {
    byte[] codes = new byte[CODED.fields()];
    encodeCoded(a, codes, 0);
    CODED.expand(codes, 0, 1, dst, offset);
  }

  /**
   * The same features as {@link #encode}, as {@link #CODED} codes: 16 bytes instead of 40 floats.
   */
  @Override
  public void encodeCoded(Architecture a, byte[] dst, int offset) {
    boolean[] fromInput = new boolean[4];
    fromInput[0] = true;
    for (int e = 0; e < FROM.length; e++) { // Edges are in topological order of their target.
      if (a.choice(e) != NONE && fromInput[FROM[e]]) {
        fromInput[TO[e]] = true;
      }
    }
    boolean[] toOutput = new boolean[4];
    toOutput[3] = true;
    for (int e = FROM.length - 1; e >= 0; e--) {
      if (a.choice(e) != NONE && toOutput[TO[e]]) {
        toOutput[FROM[e]] = true;
      }
    }
    int liveEdges = 0;
    int[] liveCounts = new int[OPS];
    for (int e = 0; e < FROM.length; e++) {
      int op = a.choice(e);
      boolean live = op != NONE && fromInput[FROM[e]] && toOutput[TO[e]];
      dst[offset + e] = (byte) (live ? op : NONE);
      if (live) {
        liveEdges++;
        liveCounts[op]++;
      }
    }
    dst[offset + 6] = (byte) (liveEdges == 0 ? 1 : 0);
    for (int op = 1; op < OPS; op++) {
      dst[offset + 6 + op] = (byte) liveCounts[op];
    }

    int paths = 0;
    int longest = 0;
    int mostConvs = 0;
    int fewestConvs = Integer.MAX_VALUE;
    boolean convFree = false;
    for (int[] path : PATHS) {
      int convs = 0;
      boolean exists = true;
      for (int e : path) {
        int op = a.choice(e);
        exists &= op != NONE;
        if (op == CONV_1X1 || op == CONV_3X3) {
          convs++;
        }
      }
      if (exists) {
        paths++;
        longest = Math.max(longest, path.length);
        mostConvs = Math.max(mostConvs, convs);
        fewestConvs = Math.min(fewestConvs, convs);
        convFree |= convs == 0;
      }
    }
    dst[offset + 11] = (byte) paths;
    dst[offset + 12] = (byte) longest;
    dst[offset + 13] = (byte) mostConvs;
    dst[offset + 14] = (byte) (paths == 0 ? 0 : fewestConvs);
    dst[offset + 15] = (byte) (convFree ? 1 : 0);
  }
}
