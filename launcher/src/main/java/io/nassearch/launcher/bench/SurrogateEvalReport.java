package io.nassearch.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The tables and files of {@code surrogate-eval}. A run on NB201 with the MLP and the held-out
 * protocol only (the defaults) prints and writes exactly what the command did before it took other
 * spaces, families and protocols; any other run names the family and protocol in each table's title
 * and adds them as columns to the CSV and JSON.
 */
final class SurrogateEvalReport {
  /** Both protocols papers use: rank the held-out architectures only, or every architecture. */
  enum Protocol {
    HELD_OUT("held-out", "all architectures not used for training"),
    ALL("all", "all architectures, the training ones included");

    final String cliName;
    final String description;

    Protocol(String cliName, String description) {
      this.cliName = cliName;
      this.description = description;
    }

    static Protocol parse(String name) {
      for (Protocol p : values()) {
        if (p.cliName.equals(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "--protocols: unknown protocol '" + name + "'; known: held-out, all");
    }
  }

  record Row(
      String family,
      Protocol protocol,
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

  /** One trained model's metrics under one protocol. */
  record SeedRow(
      String family,
      Protocol protocol,
      int size,
      String loss,
      int seed,
      double tau,
      double rho,
      double precision,
      double bestTrue,
      double bestReport,
      double seconds) {}

  private final String space;
  private final String target;
  private final String reportColumn;
  private final int seeds;
  private final boolean legacy;

  SurrogateEvalReport(String space, String target, String reportColumn, int seeds, boolean legacy) {
    this.space = space;
    this.target = target;
    this.reportColumn = reportColumn == null ? "" : reportColumn;
    this.seeds = seeds;
    this.legacy = legacy;
  }

  String render(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    String block = null;
    for (Row r : rows) {
      String title = title(r);
      if (!title.equals(block)) {
        sb.append(block == null ? "" : "\n").append(title).append('\n').append(header());
        block = title;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%6d  %-9s  %.3f +- %.3f  %.3f +- %.3f  %9.3f  %7.2f +- %5.2f  %11.2f  %7.2f%n",
              r.columns()));
    }
    return legacy ? sb.toString().substring(sb.indexOf("\n") + 1) : sb.toString();
  }

  /** The line above the table of a legacy run. */
  String legacyTitle() {
    return String.format(
        Locale.ROOT,
        "NAS-Bench-201, label %s, evaluated on all architectures not used for training, %d seeds (mean +- std)",
        target,
        seeds);
  }

  private String title(Row r) {
    return String.format(
        Locale.ROOT,
        "%s, family %s, label %s, %s protocol: evaluated on %s, %d seeds (mean +- std)",
        space,
        r.family,
        target,
        r.protocol.cliName,
        r.protocol.description,
        seeds);
  }

  private String header() {
    return String.format(
        Locale.ROOT,
        "%6s  %-9s  %-15s  %-15s  %9s  %-17s  %11s  %7s%n",
        "n",
        "loss",
        "kendall tau",
        "spearman rho",
        "prec@1%",
        "best pred " + target.replace("cifar10_", "c10 "),
        reportColumn.replace("cifar10_", "c10 "),
        "s/run");
  }

  void write(Path out, List<Row> rows, List<SeedRow> perSeed) throws IOException {
    String base = out.toString().replaceFirst("\\.(csv|json)$", "");
    String extra = legacy ? "" : ",family,protocol,space";
    StringBuilder csv =
        new StringBuilder(
            "n,loss,tau_mean,tau_std,rho_mean,rho_std,precision_top1pct,best_pred_true_mean,best_pred_true_std,best_pred_report_mean,seconds_per_run"
                + extra
                + "\n");
    StringBuilder json =
        new StringBuilder(
            "{"
                + (legacy ? "" : "\"space\":\"" + space + "\",")
                + "\"target\":\""
                + target
                + "\",\"seeds\":"
                + seeds
                + ",\"rows\":[\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f", r.columns()));
      csv.append(legacy ? "" : "," + r.family + "," + r.protocol.cliName + "," + space)
          .append('\n');
      json.append(
          String.format(
              Locale.ROOT,
              "  {%s\"n\":%d,\"loss\":\"%s\",\"tau_mean\":%.4f,\"tau_std\":%.4f,\"rho_mean\":%.4f,\"rho_std\":%.4f,\"precision_top1pct\":%.4f,\"best_pred_true_mean\":%.4f,\"best_pred_report_mean\":%s,\"seconds_per_run\":%.3f}%s%n",
              legacy
                  ? ""
                  : "\"family\":\"" + r.family + "\",\"protocol\":\"" + r.protocol.cliName + "\",",
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
    StringBuilder seedCsv =
        new StringBuilder(
            "space,family,protocol,n,loss,seed,tau,rho,precision_top1pct,best_pred_true,best_pred_report,seconds\n");
    for (SeedRow s : perSeed) {
      seedCsv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%d,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f%n",
              space,
              s.family,
              s.protocol.cliName,
              s.size,
              s.loss,
              s.seed,
              s.tau,
              s.rho,
              s.precision,
              s.bestTrue,
              s.bestReport,
              s.seconds));
    }
    Path csvPath = Path.of(base + ".csv");
    Path jsonPath = Path.of(base + ".json");
    Path seedPath = Path.of(base + "-seeds.csv");
    if (csvPath.getParent() != null) {
      Files.createDirectories(csvPath.getParent());
    }
    Files.writeString(csvPath, csv);
    Files.writeString(jsonPath, json);
    Files.writeString(seedPath, seedCsv);
    System.err.println("wrote " + csvPath + ", " + jsonPath + " and " + seedPath);
  }
}
