package io.nassearch.launcher.bench;

import static io.nassearch.launcher.bench.Charts.LEFT;
import static io.nassearch.launcher.bench.Charts.PLOT_HEIGHT;
import static io.nassearch.launcher.bench.Charts.PLOT_WIDTH;
import static io.nassearch.launcher.bench.Charts.TOP;

import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.evaluation.QueryTrace;
import io.nassearch.coordinator.space.Architecture;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns the search benchmark's traces into the summary table, CSV files and the best-so-far plot.
 */
final class SearchBenchReport {
  private SearchBenchReport() {}

  /**
   * One algorithm at one budget. Per seed the best-by-objective architecture after {@code budget}
   * queries is looked up in every report column.
   *
   * @param reportMean mean per report column; {@code reportStd} likewise
   * @param foundOptimum fraction of seeds that evaluated the objective's best architecture within
   *     the budget
   * @param medianToOptimum median queries to that architecture over all seeds, infinite when more
   *     than half of them did not reach it within the horizon
   * @param medianToWithin median queries to an objective within 0.1% of the optimum, same
   *     convention
   */
  record Row(
      String algorithm,
      int budget,
      double[] reportMean,
      double[] reportStd,
      double objectiveRegret,
      double foundOptimum,
      double medianToOptimum,
      double medianToWithin,
      double secondsPerRun) {}

  static List<Row> summarise(
      List<SearchBenchCommand.Result> results,
      List<Integer> budgets,
      BenchmarkTable table,
      String objective,
      List<String> report,
      Architecture target,
      int horizon) {
    double optimum = table.value(target, objective).orElseThrow();
    double within = optimum - Math.abs(optimum) * 0.001;
    List<Row> rows = new ArrayList<>();
    for (SearchBenchCommand.Result r : results) {
      int n = r.traces().size();
      double[] toOptimum = new double[n];
      double[] toWithin = new double[n];
      for (int s = 0; s < n; s++) {
        QueryTrace t = r.traces().get(s);
        toOptimum[s] = t.queryOf(target).map(Integer::doubleValue).orElse(Double.POSITIVE_INFINITY);
        toWithin[s] =
            t.firstReaching(within).map(Integer::doubleValue).orElse(Double.POSITIVE_INFINITY);
      }
      for (int budget : budgets) {
        double[][] values = new double[report.size()][n];
        double regret = 0;
        int found = 0;
        for (int s = 0; s < n; s++) {
          Architecture best = r.traces().get(s).bestAfter(budget).orElseThrow();
          for (int c = 0; c < report.size(); c++) {
            values[c][s] = table.value(best, report.get(c)).orElse(Double.NaN);
          }
          regret += optimum - table.value(best, objective).orElse(Double.NaN);
          found += toOptimum[s] <= budget ? 1 : 0;
        }
        double[] mean = new double[report.size()];
        double[] std = new double[report.size()];
        for (int c = 0; c < report.size(); c++) {
          mean[c] = SurrogateEvalCommand.mean(values[c]);
          std[c] = SurrogateEvalCommand.std(values[c]);
        }
        rows.add(
            new Row(
                r.algorithm(),
                budget,
                mean,
                std,
                regret / n,
                (double) found / n,
                median(toOptimum),
                median(toWithin),
                r.secondsPerRun()));
      }
    }
    return rows;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static String render(List<Row> rows, List<String> report) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "%-14s %7s  %-16s", "algorithm", "queries", report.get(0)));
    for (int c = 1; c < report.size(); c++) {
      sb.append(String.format(Locale.ROOT, "  %-16s", report.get(c)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "  %12s  %11s  %15s  %15s  %7s%n",
            "valid regret",
            "found best",
            "median to best",
            "median to 0.1%",
            "s/run"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-14s %7d  %6.2f +- %-6.2f",
              r.algorithm(),
              r.budget(),
              r.reportMean()[0],
              r.reportStd()[0]));
      for (int c = 1; c < report.size(); c++) {
        sb.append(
            String.format(Locale.ROOT, "  %6.2f +- %-6.2f", r.reportMean()[c], r.reportStd()[c]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  %12.3f  %10.0f%%  %15s  %15s  %7.1f%n",
              r.objectiveRegret(),
              100 * r.foundOptimum(),
              median(r.medianToOptimum(), "> horizon"),
              median(r.medianToWithin(), "> horizon"),
              r.secondsPerRun()));
    }
    return sb.toString();
  }

  static String csv(List<Row> rows, List<String> report) {
    StringBuilder sb = new StringBuilder("algorithm,queries");
    for (String c : report) {
      sb.append(',').append(c).append("_mean,").append(c).append("_std");
    }
    sb.append(
        ",objective_regret,found_optimum_fraction,median_queries_to_optimum,median_queries_to_within_0.1pct,seconds_per_run\n");
    for (Row r : rows) {
      sb.append(r.algorithm()).append(',').append(r.budget());
      for (int c = 0; c < report.size(); c++) {
        sb.append(String.format(Locale.ROOT, ",%.4f,%.4f", r.reportMean()[c], r.reportStd()[c]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              ",%.4f,%.3f,%s,%s,%.2f%n",
              r.objectiveRegret(),
              r.foundOptimum(),
              median(r.medianToOptimum(), "inf"),
              median(r.medianToWithin(), "inf"),
              r.secondsPerRun()));
    }
    return sb.toString();
  }

  /** A median number of queries, or {@code never} when it is infinite (not reached). */
  private static String median(double queries, String never) {
    return Double.isInfinite(queries) ? never : String.format(Locale.ROOT, "%.1f", queries);
  }

  /**
   * Mean over seeds of the column's value of the best-by-objective architecture after t =
   * 1..horizon queries.
   */
  static double[][] meanCurves(
      List<SearchBenchCommand.Result> results, BenchmarkTable table, String column, int horizon) {
    double[][] curves = new double[results.size()][horizon];
    for (int a = 0; a < results.size(); a++) {
      List<QueryTrace> traces = results.get(a).traces();
      for (QueryTrace t : traces) {
        for (int q = 1; q <= horizon; q++) {
          Architecture best = t.bestAfter(q).orElseThrow();
          curves[a][q - 1] += table.value(best, column).orElse(Double.NaN) / traces.size();
        }
      }
    }
    return curves;
  }

  static String curvesCsv(List<SearchBenchCommand.Result> results, double[][] curves) {
    StringBuilder sb = new StringBuilder("queries");
    results.forEach(r -> sb.append(',').append(r.algorithm()));
    sb.append('\n');
    for (int q = 0; q < curves[0].length; q++) {
      sb.append(q + 1);
      for (double[] c : curves) {
        sb.append(String.format(Locale.ROOT, ",%.4f", c[q]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Best-so-far curves, one line per algorithm, the optimum dashed; y from the worst value at query
   * 20.
   */
  static void plot(
      List<SearchBenchCommand.Result> results,
      double[][] curves,
      String column,
      double optimum,
      Path file)
      throws IOException {
    int horizon = curves[0].length;
    double yMax =
        Math.max(
                optimum,
                Arrays.stream(curves)
                    .mapToDouble(c -> Arrays.stream(c).max().orElse(0))
                    .max()
                    .orElse(0))
            + 0.05;
    double yMin = Double.POSITIVE_INFINITY;
    for (double[] c : curves) {
      yMin = Math.min(yMin, c[Math.min(horizon - 1, 19)]);
    }
    yMin = Math.floor(Math.min(yMin, yMax - 0.5) * 2) / 2;
    BufferedImage img = Charts.image();
    Graphics2D g = Charts.blank(img);
    g.setColor(new Color(0xdddddd));
    double step = yMax - yMin > 3 ? 1 : 0.25;
    for (double y = Math.ceil(yMin / step) * step; y <= yMax; y += step) {
      int py = TOP + (int) ((yMax - y) / (yMax - yMin) * PLOT_HEIGHT);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, py, LEFT + PLOT_WIDTH, py);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.2f", y), 20, py + 5);
    }
    int xStep = horizon > 200 ? 50 : horizon > 50 ? 25 : 5;
    for (int q = xStep; q <= horizon; q += xStep) {
      int px = LEFT + (int) ((q - 1) / (double) Math.max(1, horizon - 1) * PLOT_WIDTH);
      g.setColor(new Color(0xdddddd));
      g.drawLine(px, TOP, px, TOP + PLOT_HEIGHT);
      g.setColor(Color.DARK_GRAY);
      g.drawString(Integer.toString(q), px - 10, TOP + PLOT_HEIGHT + 20);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT);
    g.drawString("ground-truth queries", LEFT + PLOT_WIDTH / 2 - 60, Charts.HEIGHT - 15);
    g.drawString("mean " + column + " of the best-validation architecture so far", LEFT, 25);
    int oy = TOP + (int) ((yMax - optimum) / (yMax - yMin) * PLOT_HEIGHT);
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
    g.drawLine(LEFT, oy, LEFT + PLOT_WIDTH, oy);
    g.drawString(
        String.format(Locale.ROOT, "optimum %.2f", optimum), LEFT + PLOT_WIDTH + 10, oy + 5);
    g.setStroke(new BasicStroke(2f));
    g.setClip(LEFT, TOP, PLOT_WIDTH + 1, PLOT_HEIGHT + 1);
    for (int a = 0; a < curves.length; a++) {
      g.setColor(Charts.series(a));
      int px0 = -1;
      int py0 = -1;
      for (int q = 0; q < horizon; q++) {
        int px = LEFT + (int) (q / (double) Math.max(1, horizon - 1) * PLOT_WIDTH);
        int py = TOP + (int) ((yMax - curves[a][q]) / (yMax - yMin) * PLOT_HEIGHT);
        if (px0 >= 0) {
          g.drawLine(px0, py0, px, py);
        }
        px0 = px;
        py0 = py;
      }
    }
    g.setClip(null);
    for (int a = 0; a < curves.length; a++) {
      g.setColor(Charts.series(a));
      int ly = TOP + 30 + a * 22;
      g.fillRect(LEFT + PLOT_WIDTH + 10, ly - 8, 16, 4);
      g.drawString(results.get(a).algorithm(), LEFT + PLOT_WIDTH + 32, ly);
    }
    Charts.write(img, g, file);
  }
}
