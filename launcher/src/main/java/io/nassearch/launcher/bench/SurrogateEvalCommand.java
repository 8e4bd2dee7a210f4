package io.nassearch.launcher.bench;

import io.nassearch.worker.surrogate.LossKind;
import io.nassearch.worker.surrogate.RankMetrics;
import io.nassearch.worker.surrogate.Surrogate;
import io.nassearch.worker.surrogate.SurrogateConfig;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
    description = {
      "Measures how well the surrogate ranks NAS-Bench-201: for each training-set size x loss x seed it trains on",
      "architectures drawn with the seed and evaluates on all the others (Kendall tau, Spearman rho, precision at",
      "the top 1%, true accuracy of the predicted best). Prints mean +- std over seeds."
    })
public final class SurrogateEvalCommand implements Callable<Integer> {
  @Option(
      names = "--target",
      defaultValue = "cifar10_valid",
      description = "Table column used as label (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--report-column",
      defaultValue = "cifar10_test",
      description = "Column reported for the predicted best (default: ${DEFAULT-VALUE}).")
  String reportColumn;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "100,200,500,1000",
      description = "Training-set sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(
      names = "--losses",
      split = ",",
      defaultValue = "mse,pairwise,hinge,listmle",
      description = "Losses (default: ${DEFAULT-VALUE}).")
  List<String> losses;

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
          "Write the table to FILE.csv and FILE.json (a .csv or .json suffix is dropped).")
  Path out;

  record Row(
      int size,
      String loss,
      double tauMean,
      double tauStd,
      double rhoMean,
      double rhoStd,
      double precisionMean,
      double bestTrueMean,
      double bestTrueStd,
      double bestReportMean,
      double seconds) {
    /** Every field, in table and CSV order. */
    Object[] columns() {
      return new Object[] {
        size,
        loss,
        tauMean,
        tauStd,
        rhoMean,
        rhoStd,
        precisionMean,
        bestTrueMean,
        bestTrueStd,
        bestReportMean,
        seconds
      };
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = new PrintWriter(System.err, true);
    Nb201Data data = new Nb201Data(Optional.ofNullable(dataDir), target);
    Nb201Data report =
        reportColumn.isEmpty() ? null : new Nb201Data(Optional.ofNullable(dataDir), reportColumn);
    List<Row> table = new ArrayList<>();
    int total = sizes.size() * losses.size() * seeds;
    int done = 0;
    for (int size : sizes) {
      if (size < 10 || size >= data.rows) {
        throw new IllegalArgumentException(
            "--sizes must be in 10.." + (data.rows - 1) + ", got " + size);
      }
      for (String lossName : losses) {
        LossKind loss = LossKind.parse(lossName);
        SurrogateConfig config = epochs.applyTo(SurrogateConfig.defaults().withLoss(loss));
        double[] tau = new double[seeds];
        double[] rho = new double[seeds];
        double[] precision = new double[seeds];
        double[] bestTrue = new double[seeds];
        double[] bestReport = new double[seeds];
        long started = System.nanoTime();
        for (int s = 0; s < seeds; s++) {
          int[] perm = data.permutation(1000L * size + s);
          float[] trainX = data.featuresOf(perm, 0, size);
          float[] trainY = new float[size];
          for (int i = 0; i < size; i++) {
            trainY[i] = (float) data.targets[perm[i]];
          }
          int rest = data.rows - size;
          double[] predicted = new double[rest];
          double[] truth = new double[rest];
          SurrogateTrainer.TrainingOutcome outcome =
              SurrogateTrainer.train(config, trainX, size, data.width, trainY, s);
          try (Surrogate model = outcome.model()) {
            float[] scores = model.score(data.featuresOf(perm, size, data.rows), rest);
            int best = 0;
            for (int i = 0; i < rest; i++) {
              predicted[i] = scores[i];
              truth[i] = data.targets[perm[size + i]];
              if (scores[i] > scores[best]) {
                best = i;
              }
            }
            tau[s] = RankMetrics.kendallTau(predicted, truth);
            rho[s] = RankMetrics.spearmanRho(predicted, truth);
            precision[s] = RankMetrics.precisionAtTopFraction(predicted, truth, 0.01);
            bestTrue[s] = truth[best];
            bestReport[s] = report == null ? Double.NaN : report.targets[perm[size + best]];
          }
          done++;
          err.printf(
              Locale.ROOT,
              "\r[%d/%d] n=%d %s seed %d: tau %.3f   ",
              done,
              total,
              size,
              lossName,
              s,
              tau[s]);
        }
        double seconds = (System.nanoTime() - started) / 1e9 / seeds;
        table.add(
            new Row(
                size,
                loss.cliName(),
                mean(tau),
                std(tau),
                mean(rho),
                std(rho),
                mean(precision),
                mean(bestTrue),
                std(bestTrue),
                mean(bestReport),
                seconds));
      }
    }
    err.println();
    PrintWriter stdout = new PrintWriter(System.out, true);
    stdout.printf(
        Locale.ROOT,
        "NAS-Bench-201, label %s, evaluated on all architectures not used for training, %d seeds (mean +- std)%n",
        target,
        seeds);
    stdout.println(render(table));
    if (out != null) {
      write(table);
    }
    return 0;
  }

  private String render(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%6s  %-9s  %-15s  %-15s  %9s  %-17s  %11s  %7s%n",
            "n",
            "loss",
            "kendall tau",
            "spearman rho",
            "prec@1%",
            "best pred " + target.replace("cifar10_", "c10 "),
            reportColumn.replace("cifar10_", "c10 "),
            "s/run"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%6d  %-9s  %.3f +- %.3f  %.3f +- %.3f  %9.3f  %7.2f +- %5.2f  %11.2f  %7.2f%n",
              r.columns()));
    }
    return sb.toString();
  }

  private void write(List<Row> rows) throws IOException {
    String base = out.toString().replaceFirst("\\.(csv|json)$", "");
    StringBuilder csv =
        new StringBuilder(
            "n,loss,tau_mean,tau_std,rho_mean,rho_std,precision_top1pct,best_pred_true_mean,best_pred_true_std,best_pred_report_mean,seconds_per_run\n");
    StringBuilder json =
        new StringBuilder("{\"target\":\"" + target + "\",\"seeds\":" + seeds + ",\"rows\":[\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f%n", r.columns()));
      json.append(
          String.format(
              Locale.ROOT,
              "  {\"n\":%d,\"loss\":\"%s\",\"tau_mean\":%.4f,\"tau_std\":%.4f,\"rho_mean\":%.4f,\"rho_std\":%.4f,\"precision_top1pct\":%.4f,\"best_pred_true_mean\":%.4f,\"best_pred_report_mean\":%s,\"seconds_per_run\":%.3f}%s%n",
              r.size,
              r.loss,
              r.tauMean,
              r.tauStd,
              r.rhoMean,
              r.rhoStd,
              r.precisionMean,
              r.bestTrueMean,
              Double.isNaN(r.bestReportMean)
                  ? "null"
                  : String.format(Locale.ROOT, "%.4f", r.bestReportMean),
              r.seconds,
              i + 1 < rows.size() ? "," : ""));
    }
    json.append("]}\n");
    Path csvPath = Path.of(base + ".csv");
    Path jsonPath = Path.of(base + ".json");
    if (csvPath.getParent() != null) {
      Files.createDirectories(csvPath.getParent());
    }
    Files.writeString(csvPath, csv);
    Files.writeString(jsonPath, json);
    System.err.println("wrote " + csvPath + " and " + jsonPath);
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
