package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.GraphLayout;
import io.nassearch.api.v1.InputLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GIN family on small random DAGs whose target depends on the graph, not the node order. */
class GinSurrogateTest {
  private static final int NODES = 5;
  private static final int OPS = 3;
  private static final InputShape SHAPE = InputShape.graph(NODES, OPS);
  private static final SurrogateConfig FAST =
      SurrogateConfig.defaults()
          .with(
              s ->
                  s.setFamily(io.nassearch.api.v1.ModelFamily.MODEL_FAMILY_GIN)
                      .setMaxEpochs(40)
                      .setHiddenUnits(16)
                      .setHiddenLayers(2)
                      .setDropout(0.1f));

  private static float[] trainRows;
  private static float[] trainTargets;
  private static Surrogate model;

  @BeforeAll
  static void trainOnce() {
    SplittableRandom random = new SplittableRandom(5);
    trainRows = new float[200 * SHAPE.width()];
    trainTargets = new float[200];
    for (int r = 0; r < 200; r++) {
      trainTargets[r] = randomGraph(random, trainRows, r * SHAPE.width());
    }
    model = train(FAST, 1L);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static Surrogate train(SurrogateConfig config, long seed) {
    return SurrogateTrainer.train(
            config,
            trainRows,
            200,
            SHAPE,
            trainTargets,
            seed,
            SurrogateRuntime.singleThreaded(),
            null)
        .model();
  }

  /** A random DAG; its target: op-1 nodes fed by an op-2 node, plus edges / 4. */
  private static float randomGraph(SplittableRandom random, float[] dst, int offset) {
    int[] op = new int[NODES];
    boolean[][] edge = new boolean[NODES][NODES];
    for (int i = 0; i < NODES; i++) {
      op[i] = random.nextInt(OPS);
      for (int j = i + 1; j < NODES; j++) {
        edge[i][j] = random.nextInt(3) == 0;
      }
    }
    float target = 0;
    for (int j = 0; j < NODES; j++) {
      for (int i = 0; i < NODES; i++) {
        if (edge[i][j]) {
          target += 0.25f + (op[j] == 1 && op[i] == 2 ? 1f : 0f);
        }
      }
    }
    write(op, edge, identity(), dst, offset);
    return target;
  }

  private static int[] identity() {
    int[] p = new int[NODES];
    for (int i = 0; i < NODES; i++) {
      p[i] = i;
    }
    return p;
  }

  /** Writes the graph with node i placed at row {@code place[i]}. */
  private static void write(int[] op, boolean[][] edge, int[] place, float[] dst, int offset) {
    int stride = OPS + NODES;
    for (int i = 0; i < NODES; i++) {
      int row = offset + place[i] * stride;
      dst[row + op[i]] = 1f;
      for (int j = 0; j < NODES; j++) {
        dst[row + OPS + place[j]] = edge[i][j] ? 1f : 0f;
      }
    }
  }

  private static float[] decodeAndPermute(float[] rows, int r, int[] place) {
    int stride = OPS + NODES;
    int[] op = new int[NODES];
    boolean[][] edge = new boolean[NODES][NODES];
    for (int i = 0; i < NODES; i++) {
      for (int k = 0; k < OPS; k++) {
        if (rows[r * SHAPE.width() + i * stride + k] == 1f) {
          op[i] = k;
        }
      }
      for (int j = 0; j < NODES; j++) {
        edge[i][j] = rows[r * SHAPE.width() + i * stride + OPS + j] == 1f;
      }
    }
    float[] out = new float[SHAPE.width()];
    write(op, edge, place, out, 0);
    return out;
  }

  @Test
  void learnsAGraphTarget() {
    SplittableRandom random = new SplittableRandom(99);
    float[] rows = new float[300 * SHAPE.width()];
    double[] truth = new double[300];
    for (int r = 0; r < 300; r++) {
      truth[r] = randomGraph(random, rows, r * SHAPE.width());
    }
    float[] scores = model.score(rows, 300);
    double[] predicted = new double[300];
    for (int i = 0; i < 300; i++) {
      predicted[i] = scores[i];
    }
    double tau = RankMetrics.kendallTau(predicted, truth);
    assertTrue(tau > 0.6, "held-out Kendall tau " + tau);
  }

  @Test
  void relabellingTheNodesLeavesTheScore() {
    int[] reversed = {4, 3, 2, 1, 0};
    int[] shuffled = {2, 0, 4, 1, 3};
    for (int r = 0; r < 20; r++) {
      float original = model.score(decodeAndPermute(trainRows, r, identity()), 1)[0];
      for (int[] place : new int[][] {reversed, shuffled}) {
        float relabelled = model.score(decodeAndPermute(trainRows, r, place), 1)[0];
        assertEquals(original, relabelled, 1e-5f * Math.max(1f, Math.abs(original)));
      }
    }
    float first = model.score(decodeAndPermute(trainRows, 0, identity()), 1)[0];
    float other = model.score(decodeAndPermute(trainRows, 1, identity()), 1)[0];
    assertNotEquals(first, other, "different graphs must be told apart");
  }

  @Test
  void saveAndLoadGiveIdenticalScores() {
    byte[] bytes = model.toBytes();
    try (Surrogate loaded = Surrogate.fromBytes(bytes)) {
      assertEquals(ModelFamily.GIN, loaded.family());
      assertEquals(SHAPE, loaded.inputShape());
      assertArrayEquals(model.score(trainRows, 200), loaded.score(trainRows, 200));
      assertArrayEquals(bytes, loaded.toBytes());
    }
  }

  @Test
  void everyLossTrains() {
    for (LossKind loss : LossKind.values()) {
      try (Surrogate m = train(FAST.withLoss(loss).with(s -> s.setMaxEpochs(3)), 2L)) {
        assertEquals(200, m.score(trainRows, 200).length, loss.toString());
      }
    }
  }

  @Test
  void flatRowsAndMismatchedGraphsAreRefused() {
    IllegalArgumentException flat =
        assertThrows(
            IllegalArgumentException.class,
            () -> SurrogateTrainer.train(FAST, trainRows, 200, SHAPE.width(), trainTargets, 1L));
    assertTrue(flat.getMessage().contains("cannot read flat rows"), flat.getMessage());
    InputLayout graph =
        InputLayout.newBuilder()
            .setGraph(GraphLayout.newBuilder().setNodes(NODES).setNodeFeatures(OPS))
            .build();
    assertTrue(ModelFamily.GIN.reads(graph.getKindCase()));
    assertTrue(!ModelFamily.GIN.reads(InputLayout.getDefaultInstance().getKindCase()));
    assertThrows(IllegalArgumentException.class, () -> ModelFamily.GIN.shapeOf(graph, 41));
    assertThrows(IllegalArgumentException.class, () -> new InputShape(SHAPE.width(), 7));
    assertThrows(IllegalArgumentException.class, () -> model.score(new float[39], 1));
  }
}
