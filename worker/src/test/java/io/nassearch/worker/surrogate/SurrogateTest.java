package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.codes.CodedLayout;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurrogateTest {
  private static final int WIDTH = 8;
  private static final int TRAIN_ROWS = 200;
  private static final int TEST_ROWS = 400;
  private static final SurrogateConfig FAST =
      SurrogateConfig.defaults()
          .with(
              s ->
                  s.setMaxEpochs(100)
                      .setHiddenUnits(32)
                      .setHiddenLayers(2)
                      .setDropout(0f)
                      .setLearningRate(1e-2f)
                      .setPatience(0)
                      .setValidationFraction(0f));

  private static Data train;
  private static Data test;
  private static Surrogate model;

  private record Data(float[] features, float[] targets, int rows) {}

  @BeforeAll
  static void trainOnce() {
    Random random = new Random(42);
    double[] weights = new double[WIDTH];
    for (int i = 0; i < WIDTH; i++) {
      weights[i] = random.nextGaussian();
    }
    train = linearData(random, weights, TRAIN_ROWS);
    test = linearData(random, weights, TEST_ROWS);
    model = trainModel(FAST, 1L);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void recoversKnownOrderingOfLinearTarget() {
    double tau = tau(model.score(test.features, test.rows), test.targets);
    assertTrue(tau > 0.9, "Kendall tau on held-out rows " + tau);
  }

  @Test
  void codedRowsScoreExactlyLikeTheirExpandedFeatures() {
    int[] depths = {3, 0, 4}; // one-hot(3) + a count + one-hot(4) = 8 columns
    int rows = 257;
    byte[] codes = new byte[rows * depths.length];
    Random random = new Random(7);
    for (int r = 0; r < rows; r++) {
      codes[r * 3] = (byte) random.nextInt(3);
      codes[r * 3 + 1] = (byte) random.nextInt(256); // unsigned: 128..255 must not turn negative
      codes[r * 3 + 2] = (byte) random.nextInt(4);
    }
    float[] expanded = new float[rows * WIDTH];
    new CodedLayout(depths).expand(codes, 0, rows, expanded, 0);
    assertEquals(1f, expanded[(int) (codes[0])]);
    assertArrayEquals(
        model.score(expanded, rows),
        model.scoreCoded(ByteBuffer.wrap(codes), rows, new CodedLayout(depths)));
    // A buffer whose position is not 0 (a slice of a larger message) reads from its position.
    byte[] padded = new byte[codes.length + 5];
    System.arraycopy(codes, 0, padded, 5, codes.length);
    assertArrayEquals(
        model.score(expanded, rows),
        model.scoreCoded(ByteBuffer.wrap(padded, 5, codes.length), rows, new CodedLayout(depths)));
  }

  @Test
  void badCodedRowsAreRejectedWithTheReason() {
    byte[] codes = {0, 1, 3, 2, 5, 0};
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                model.scoreCoded(
                    ByteBuffer.wrap(new byte[] {3, 0, 0}), 1, new CodedLayout(3, 0, 4)));
    assertTrue(range.getMessage().contains("out of range"), range.getMessage());
    IllegalArgumentException width =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.scoreCoded(ByteBuffer.wrap(codes), 2, new CodedLayout(3, 0, 5)));
    assertTrue(width.getMessage().contains("expands to 9 columns"), width.getMessage());
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.scoreCoded(ByteBuffer.wrap(codes), 3, new CodedLayout(3, 0, 4)));
    assertTrue(count.getMessage().contains("expected rows * fields"), count.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> model.scoreCoded(ByteBuffer.wrap(codes), 2, new CodedLayout()));
  }

  @Test
  void everyLossLearnsTheOrdering() {
    for (LossKind loss : LossKind.values()) {
      try (Surrogate m = trainModel(FAST.withLoss(loss), 5L)) {
        double tau = tau(m.score(test.features, test.rows), test.targets);
        assertTrue(tau > 0.8, loss + " reached only tau " + tau);
      }
    }
  }

  @Test
  void earlyStoppingReportsValidationTauAndRestoresBestWeights() {
    SurrogateConfig config =
        FAST.with(s -> s.setValidationFraction(0.2f).setPatience(5).setMaxEpochs(200));
    SurrogateTrainer.TrainingOutcome outcome =
        SurrogateTrainer.train(config, train.features, train.rows, WIDTH, train.targets, 3L);
    try (Surrogate m = outcome.model()) {
      assertTrue(outcome.validationTau() > 0.8, "validation tau " + outcome.validationTau());
      assertTrue(outcome.epochs() >= 1 && outcome.epochs() <= 200, "epochs " + outcome.epochs());
      assertFalse(outcome.trainTime().isNegative());
      assertTrue(tau(m.score(test.features, test.rows), test.targets) > 0.8);
    }
  }

  @Test
  void scoresOneValuePerRowForAnyBatchSize() {
    float[] all = model.score(test.features, test.rows);
    assertEquals(test.rows, all.length);
    float[] one = model.score(Arrays.copyOf(test.features, WIDTH), 1);
    assertEquals(1, one.length);
    assertEquals(all[0], one[0], 1e-5f);
  }

  @Test
  void roundTripGivesBitwiseIdenticalScores() {
    float[] before = model.score(test.features, test.rows);
    byte[] bytes = model.toBytes();
    try (Surrogate reloaded = Surrogate.fromBytes(bytes)) {
      assertEquals(WIDTH, reloaded.inputWidth());
      assertEquals(model.config(), reloaded.config());
      assertBitwiseEqual(before, reloaded.score(test.features, test.rows));
      assertArrayEquals(bytes, reloaded.toBytes());
    }
  }

  @Test
  void anotherJvmLoadingTheBytesGivesBitwiseIdenticalScores(@TempDir Path dir) throws Exception {
    Path modelFile = dir.resolve("model.bin");
    Path featureFile = dir.resolve("features.bin");
    Path scoreFile = dir.resolve("scores.bin");
    Files.write(modelFile, model.toBytes());
    Files.write(featureFile, ScoreFileMain.floatsToBytes(test.features));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ScoreFileMain.class.getName(),
                modelFile.toString(),
                featureFile.toString(),
                String.valueOf(test.rows),
                scoreFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "child.log"))
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
    assertEquals(0, process.exitValue(), () -> readQuietly(dir.resolve("child.log")));
    float[] childScores = ScoreFileMain.bytesToFloats(Files.readAllBytes(scoreFile));
    assertBitwiseEqual(model.score(test.features, test.rows), childScores);
  }

  @Test
  void sameSeedGivesBitwiseIdenticalScoresAndDifferentSeedDiffers() {
    SurrogateConfig config =
        FAST.with(
            s -> s.setMaxEpochs(10).setDropout(0.1f).setValidationFraction(0.1f).setPatience(3));
    try (Surrogate a = trainModel(config, 9L);
        Surrogate b = trainModel(config, 9L);
        Surrogate c = trainModel(config, 10L)) {
      float[] scoresA = a.score(test.features, test.rows);
      assertBitwiseEqual(scoresA, b.score(test.features, test.rows));
      assertArrayEquals(a.toBytes(), b.toBytes());
      assertFalse(Arrays.equals(scoresA, c.score(test.features, test.rows)));
    }
  }

  @Test
  void concurrentScoringMatchesSequential() throws Exception {
    int batches = 24;
    List<float[]> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      int rows = 1 + (b * 37) % test.rows;
      float[] features = Arrays.copyOfRange(test.features, 0, rows * WIDTH);
      inputs.add(features);
      expected.add(model.score(features, rows));
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<float[]>> futures = new ArrayList<>();
        for (float[] features : inputs) {
          futures.add(pool.submit(() -> model.score(features, features.length / WIDTH)));
        }
        for (int b = 0; b < batches; b++) {
          assertBitwiseEqual(expected.get(b), futures.get(b).get(30, TimeUnit.SECONDS));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void trainingRejectsBadInput() {
    float[] x = train.features;
    float[] y = train.targets;
    int n = train.rows;
    assertMessage(() -> SurrogateTrainer.train(FAST, x, 1, WIDTH, Arrays.copyOf(y, 1), 0), "rows");
    assertMessage(() -> SurrogateTrainer.train(FAST, x, n, 0, y, 0), "width");
    assertMessage(
        () -> SurrogateTrainer.train(FAST, x, n, WIDTH + 1, y, 0), "expected rows * width");
    assertMessage(
        () -> SurrogateTrainer.train(FAST, x, n, WIDTH, Arrays.copyOf(y, n - 1), 0), "targets");
    assertMessage(() -> SurrogateTrainer.train(FAST, null, n, WIDTH, y, 0), "features");
    float[] nanFeatures = x.clone();
    nanFeatures[17] = Float.NaN;
    assertMessage(() -> SurrogateTrainer.train(FAST, nanFeatures, n, WIDTH, y, 0), "non-finite");
    float[] infTargets = y.clone();
    infTargets[3] = Float.POSITIVE_INFINITY;
    assertMessage(() -> SurrogateTrainer.train(FAST, x, n, WIDTH, infTargets, 0), "non-finite");
    assertMessage(() -> SurrogateTrainer.train(null, x, n, WIDTH, y, 0), "config");
  }

  @Test
  void scoringRejectsBadInput() {
    assertMessage(() -> model.score(new float[0], 0), "rows");
    assertMessage(() -> model.score(new float[WIDTH + 1], 1), "expected rows * width");
    assertMessage(() -> model.score(new float[(WIDTH + 2) * 3], 3), "expected rows * width");
    assertMessage(() -> model.score(null, 1), "features");
    float[] bad = Arrays.copyOf(test.features, 2 * WIDTH);
    bad[WIDTH + 1] = Float.NEGATIVE_INFINITY;
    assertMessage(() -> model.score(bad, 2), "row 1");
    bad[WIDTH + 1] = Float.NaN;
    assertMessage(() -> model.score(bad, 2), "non-finite");
  }

  @Test
  void scoringAfterCloseFailsCleanly() {
    Surrogate m = Surrogate.fromBytes(model.toBytes());
    m.close();
    m.close();
    assertThrows(
        IllegalStateException.class, () -> m.score(Arrays.copyOf(test.features, WIDTH), 1));
  }

  @Test
  void loadingRejectsBadBytes() {
    byte[] good = model.toBytes();
    assertFormatError(null, "null");
    assertFormatError(new byte[0], "truncated");
    assertFormatError(Arrays.copyOf(good, 7), "truncated");
    assertFormatError(Arrays.copyOf(good, good.length - 1), "CRC32");
    assertFormatError(Arrays.copyOf(good, good.length / 2), "CRC32");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    assertFormatError(flipped, "CRC32");
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 'X';
    assertFormatError(wrongMagic, "magic");
    byte[] futureVersion = good.clone();
    futureVersion[7] = 99;
    assertFormatError(futureVersion, "version");
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      byte[] noise = new byte[random.nextInt(400)];
      random.nextBytes(noise);
      assertThrows(ModelFormatException.class, () -> Surrogate.fromBytes(noise));
    }
  }

  @Test
  void loadingRejectsHeaderThatDisagreesWithTensorShapes() {
    byte[] bytes = model.toBytes();
    int widthOffset = 13 * Integer.BYTES;
    assertEquals(WIDTH, ByteBuffer.wrap(bytes).getInt(widthOffset));
    ByteBuffer.wrap(bytes).putInt(widthOffset, WIDTH + 3);
    assertThrows(ModelFormatException.class, () -> Surrogate.fromBytes(withFreshCrc(bytes)));
    byte[] otherUnits = model.toBytes();
    ByteBuffer.wrap(otherUnits).putInt(4 * Integer.BYTES, 31);
    assertFormatError(withFreshCrc(otherUnits), "shape");
    byte[] badConfig = model.toBytes();
    ByteBuffer.wrap(badConfig).putInt(5 * Integer.BYTES, 0);
    assertFormatError(withFreshCrc(badConfig), "hidden_layers");
  }

  @Test
  void modelOfAnotherWidthRejectsThisWidth() {
    float[] wide = new float[TRAIN_ROWS * (WIDTH + 2)];
    System.arraycopy(train.features, 0, wide, 0, train.features.length);
    SurrogateConfig config = FAST.with(s -> s.setMaxEpochs(2));
    try (Surrogate other =
        SurrogateTrainer.train(config, wide, TRAIN_ROWS, WIDTH + 2, train.targets, 1).model()) {
      assertEquals(WIDTH + 2, other.inputWidth());
      assertMessage(
          () -> other.score(Arrays.copyOf(test.features, 3 * WIDTH), 3), "expected rows * width");
    }
  }

  /**
   * A warm start keeps what the model learnt: one more epoch from it ranks as well, one epoch from
   * scratch does not.
   */
  @Test
  void warmStartContinuesFromTheGivenWeights() {
    SurrogateConfig oneEpoch = FAST.with(s -> s.setMaxEpochs(1));
    try (Surrogate warm = trainModel(oneEpoch, 3L, model);
        Surrogate cold = trainModel(oneEpoch, 3L)) {
      double warmTau = tau(warm.score(test.features, test.rows), test.targets);
      double coldTau = tau(cold.score(test.features, test.rows), test.targets);
      double fullTau = tau(model.score(test.features, test.rows), test.targets);
      assertTrue(
          warmTau > fullTau - 0.05, "warm " + warmTau + " vs the model it started from " + fullTau);
      assertTrue(warmTau > coldTau + 0.1, "warm " + warmTau + " vs cold " + coldTau);
    }
  }

  /** A model of other layer sizes cannot start the training: it is ignored, bit for bit. */
  @Test
  void incompatibleWarmStartIsIgnored() {
    SurrogateConfig wider = FAST.with(s -> s.setHiddenUnits(48).setMaxEpochs(5));
    try (Surrogate ignored = trainModel(wider, 4L, model);
        Surrogate cold = trainModel(wider, 4L)) {
      assertBitwiseEqual(
          cold.score(test.features, test.rows), ignored.score(test.features, test.rows));
    }
  }

  private static Surrogate trainModel(SurrogateConfig config, long seed) {
    return SurrogateTrainer.train(config, train.features, train.rows, WIDTH, train.targets, seed)
        .model();
  }

  private static Surrogate trainModel(SurrogateConfig config, long seed, Surrogate warmStart) {
    return SurrogateTrainer.train(
            config,
            train.features,
            train.rows,
            WIDTH,
            train.targets,
            seed,
            SurrogateRuntime.singleThreaded(),
            warmStart)
        .model();
  }

  private static Data linearData(Random random, double[] weights, int rows) {
    float[] x = new float[rows * WIDTH];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      for (int c = 0; c < WIDTH; c++) {
        x[r * WIDTH + c] = (float) random.nextGaussian();
        dot += weights[c] * x[r * WIDTH + c];
      }
      y[r] = (float) dot;
    }
    return new Data(x, y, rows);
  }

  private static double tau(float[] scores, float[] truth) {
    double[] a = new double[scores.length];
    double[] b = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      a[i] = scores[i];
      b[i] = truth[i];
    }
    return RankMetrics.kendallTau(a, b);
  }

  private static byte[] withFreshCrc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  private static void assertBitwiseEqual(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      int index = i;
      assertEquals(
          Float.floatToRawIntBits(expected[i]),
          Float.floatToRawIntBits(actual[i]),
          () -> "score " + index + ": " + expected[index] + " vs " + actual[index]);
    }
  }

  private static void assertMessage(
      org.junit.jupiter.api.function.Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        e.getMessage().contains(fragment),
        "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }

  private static void assertFormatError(byte[] bytes, String fragment) {
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> Surrogate.fromBytes(bytes));
    assertTrue(
        e.getMessage().contains(fragment),
        "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }

  private static String readQuietly(Path path) {
    try {
      return Files.readString(path);
    } catch (Exception e) {
      return "(no child log: " + e + ")";
    }
  }
}
