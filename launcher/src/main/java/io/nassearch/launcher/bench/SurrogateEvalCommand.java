package io.nassearch.launcher.bench;

import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.launcher.bench.SurrogateEvalReport.Protocol;
import io.nassearch.launcher.bench.SurrogateEvalReport.Row;
import io.nassearch.launcher.bench.SurrogateEvalReport.SeedRow;
import io.nassearch.worker.surrogate.LossKind;
import io.nassearch.worker.surrogate.ModelFamily;
import io.nassearch.worker.surrogate.RankMetrics;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "surrogate-eval",
    mixinStandardHelpOptions = true,
    header = "Measures how well the surrogate ranks a space with a table (Kendall tau and more).",
    description = {
      "Measures how well the surrogate ranks a space with a table: for each family x training-set size x loss x",
      "seed it trains on architectures drawn with the seed and evaluates them under each protocol: held-out (all",
      "architectures not used for training) and/or all (every architecture). Reports Kendall tau, Spearman rho,",
      "precision at the top 1%% and the true value of the predicted best, mean +- std over seeds; --out also writes",
      "one row per seed."
    })
public final class SurrogateEvalCommand implements Callable<Integer> {
  /** Activations a graph model may hold while scoring, in floats (about 128 MB). */
  private static final long SCORING_FLOATS = 32L << 20;

  @Option(
      names = "--space",
      defaultValue = SpaceCatalog.NB201,
      description = "Built-in space with a table (default: ${DEFAULT-VALUE}).")
  String space;

  @Option(
      names = "--target",
      description =
          "Table column used as label (default: cifar10_valid on nb201, else the space's default objective).")
  String target;

  @Option(
      names = "--report-column",
      description =
          "Column reported for the predicted best (default: cifar10_test on nb201, else none).")
  String reportColumn;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "100,200,500,1000",
      description =
          "Training-set sizes: counts (156) or fractions of the labelled architectures (1%%, 0.1) (default: ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(
      names = "--losses",
      split = ",",
      defaultValue = "mse,pairwise,hinge,listmle",
      description = "Losses (default: ${DEFAULT-VALUE}).")
  List<String> losses;

  @Option(
      names = "--families",
      split = ",",
      defaultValue = "mlp",
      description =
          "Model families: mlp (the space's encoding), gin (its graph) (default: ${DEFAULT-VALUE}).")
  List<String> families;

  @Option(
      names = "--protocols",
      split = ",",
      defaultValue = "held-out",
      description = "Evaluation protocols: held-out, all (default: ${DEFAULT-VALUE}).")
  List<String> protocols;

  @Option(
      names = "--seeds",
      defaultValue = "5",
      description = "Seeds per cell, 1..N (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Mixin EpochsOption epochs;

  @Option(
      names = "--data-dir",
      description = "Benchmark data directory (default: NAS_DATA_DIR or ../shared/data).")
  Path dataDir;

  @Option(
      names = "--out",
      description =
          "Write the table to FILE.csv and FILE.json and one row per seed to FILE-seeds.csv (a .csv or .json suffix is dropped).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
    }
    boolean nb201 = space.equals(SpaceCatalog.NB201);
    List<ModelFamily> familyList = families.stream().map(SurrogateEvalCommand::family).toList();
    List<Protocol> protocolList = protocols.stream().map(Protocol::parse).toList();
    List<LossKind> lossList = losses.stream().map(LossKind::parse).toList();
    String label = target != null ? target : nb201 ? "cifar10_valid" : null;
    String report = reportColumn != null ? reportColumn : nb201 ? "cifar10_test" : null;
    PrintWriter err = new PrintWriter(System.err, true);
    List<Row> table = new ArrayList<>();
    List<SeedRow> perSeed = new ArrayList<>();
    int total = familyList.size() * sizes.size() * lossList.size() * seeds;
    int done = 0;
    for (ModelFamily family : familyList) {
      EvalData data =
          new EvalData(
              space,
              Optional.ofNullable(dataDir),
              label != null ? label : defaultObjective(),
              report == null || report.isEmpty() ? null : report,
              family == ModelFamily.GIN ? "graph" : null);
      label = label != null ? label : defaultObjective();
      String familyName = family.name().toLowerCase(Locale.ROOT);
      for (String sizeText : sizes) {
        int size = size(sizeText, data.rows);
        for (LossKind loss : lossList) {
          SurrogateConfig config =
              epochs.applyTo(
                  SurrogateConfig.defaults()
                      .withLoss(loss)
                      .with(s -> s.setFamily(family.toProto())));
          double[][][] metrics = new double[protocolList.size()][5][seeds];
          long started = System.nanoTime();
          for (int s = 0; s < seeds; s++) {
            long seedStart = System.nanoTime();
            double[] scores = trainAndScore(data, config, size, s);
            int[] perm = data.permutation(1000L * size + s);
            for (int p = 0; p < protocolList.size(); p++) {
              int from = protocolList.get(p) == Protocol.HELD_OUT ? size : 0;
              evaluate(data, perm, scores, from, metrics[p], s);
            }
            double seconds = (System.nanoTime() - seedStart) / 1e9;
            for (int p = 0; p < protocolList.size(); p++) {
              double[][] m = metrics[p];
              perSeed.add(
                  new SeedRow(
                      familyName,
                      protocolList.get(p),
                      size,
                      loss.cliName(),
                      s,
                      m[0][s],
                      m[1][s],
                      m[2][s],
                      m[3][s],
                      m[4][s],
                      seconds));
            }
            done++;
            err.printf(
                Locale.ROOT,
                "\r[%d/%d] %s n=%d %s seed %d: tau %.3f   ",
                done,
                total,
                familyName,
                size,
                loss.cliName(),
                s,
                metrics[0][0][s]);
          }
          double seconds = (System.nanoTime() - started) / 1e9 / seeds;
          for (int p = 0; p < protocolList.size(); p++) {
            double[][] m = metrics[p];
            table.add(
                new Row(
                    familyName,
                    protocolList.get(p),
                    size,
                    loss.cliName(),
                    mean(m[0]),
                    std(m[0]),
                    mean(m[1]),
                    std(m[1]),
                    mean(m[2]),
                    mean(m[3]),
                    std(m[3]),
                    mean(m[4]),
                    seconds));
          }
        }
      }
    }
    err.println();
    table.sort(
        java.util.Comparator.comparing((Row r) -> familyList.indexOf(family(r.family())))
            .thenComparing(r -> r.protocol().ordinal()));
    boolean legacy =
        nb201
            && familyList.equals(List.of(ModelFamily.MLP))
            && protocolList.equals(List.of(Protocol.HELD_OUT));
    SurrogateEvalReport output = new SurrogateEvalReport(space, label, report, seeds, legacy);
    PrintWriter stdout = new PrintWriter(System.out, true);
    if (legacy) {
      stdout.println(output.legacyTitle());
    }
    stdout.println(output.render(table));
    if (out != null) {
      output.write(out, table, perSeed);
    }
    return 0;
  }

  /**
   * Trains on the first {@code size} rows of the seed's permutation; scores every row, in
   * permutation order.
   */
  private static double[] trainAndScore(EvalData data, SurrogateConfig config, int size, int s) {
    int[] perm = data.permutation(1000L * size + s);
    float[] trainY = new float[size];
    for (int i = 0; i < size; i++) {
      trainY[i] = (float) data.targets[perm[i]];
    }
    SurrogateTrainer.TrainingOutcome outcome =
        SurrogateTrainer.train(
            config,
            data.featuresOf(perm, 0, size),
            size,
            data.shape,
            trainY,
            s,
            SurrogateRuntime.singleThreaded(),
            null);
    double[] scores = new double[data.rows];
    try (Surrogate model = outcome.model()) {
      // Training and held-out rows are scored apart, so held-out scores do not depend on the
      // protocols asked for.
      scoreRows(model, data, perm, 0, size, config, scores);
      scoreRows(model, data, perm, size, data.rows, config, scores);
    }
    return scores;
  }

  /** Scores rows from..to of the permutation in batches a graph model's activations fit. */
  private static void scoreRows(
      Surrogate model,
      EvalData data,
      int[] perm,
      int from,
      int to,
      SurrogateConfig config,
      double[] scores) {
    int nodes = Math.max(1, data.shape.graphNodes());
    int chunk =
        data.shape.isGraph()
            ? (int) Math.max(1, SCORING_FLOATS / ((long) nodes * nodes * config.hiddenUnits()))
            : to - from;
    for (int start = from; start < to; start += chunk) {
      int end = Math.min(to, start + chunk);
      float[] part = model.score(data.featuresOf(perm, start, end), end - start);
      for (int i = start; i < end; i++) {
        scores[i] = part[i - start];
      }
    }
  }

  /** Tau, rho, precision at 1%, best predicted's true and report values over rows from..end. */
  private static void evaluate(
      EvalData data, int[] perm, double[] scores, int from, double[][] m, int s) {
    int n = data.rows - from;
    double[] predicted = new double[n];
    double[] truth = new double[n];
    int best = 0;
    for (int i = 0; i < n; i++) {
      predicted[i] = (float) scores[from + i];
      truth[i] = data.targets[perm[from + i]];
      if (predicted[i] > predicted[best]) {
        best = i;
      }
    }
    m[0][s] = RankMetrics.kendallTau(predicted, truth);
    m[1][s] = RankMetrics.spearmanRho(predicted, truth);
    m[2][s] = RankMetrics.precisionAtTopFraction(predicted, truth, 0.01);
    m[3][s] = truth[best];
    m[4][s] = data.report[perm[from + best]];
  }

  private String defaultObjective() {
    return SpaceCatalog.builtIn(
            space,
            io.nassearch.coordinator.benchmark.DataDirectory.of(Optional.ofNullable(dataDir)))
        .space()
        .objectives()
        .get(0);
  }

  private static ModelFamily family(String name) {
    return switch (name) {
      case "mlp" -> ModelFamily.MLP;
      case "gin" -> ModelFamily.GIN;
      default ->
          throw new IllegalArgumentException(
              "--families: unknown family '" + name + "'; known: mlp, gin");
    };
  }

  /** A count, or a fraction ("10%", "0.1") of the labelled rows, rounded. */
  static int size(String text, int rows) {
    int size;
    try {
      if (text.endsWith("%")) {
        size =
            (int) Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) / 100 * rows);
      } else if (text.contains(".")) {
        size = (int) Math.round(Double.parseDouble(text) * rows);
      } else {
        size = Integer.parseInt(text);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--sizes: '" + text + "' is not a count or a fraction");
    }
    if (size < 10 || size >= rows) {
      throw new IllegalArgumentException("--sizes must be in 10.." + (rows - 1) + ", got " + size);
    }
    return size;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
