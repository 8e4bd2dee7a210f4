package io.nassearch.launcher.bench;

import static io.nassearch.launcher.bench.Charts.LEFT;
import static io.nassearch.launcher.bench.Charts.PLOT_HEIGHT;
import static io.nassearch.launcher.bench.Charts.PLOT_WIDTH;
import static io.nassearch.launcher.bench.Charts.TOP;

import io.nassearch.coordinator.algorithm.tradeoff.ParetoFront;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.evaluation.QueryTrace;
import io.nassearch.coordinator.evaluation.TrueFront;
import io.nassearch.coordinator.space.Architecture;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The multi-objective part of the search benchmark: the hypervolume of each run's front of
 * (objective, cost) against the {@link TrueFront} of the table, per algorithm and budget.
 */
final class ParetoReport {
  private ParetoReport() {}

  /** The front of a run's first {@code budget} queries. */
  static List<ParetoFront.Point<Architecture>> front(
      QueryTrace t, int budget, BenchmarkTable table, String cost) {
    List<ParetoFront.Point<Architecture>> points = new ArrayList<>();
    for (int i = 0; i < Math.min(budget, t.queries()); i++) {
      Architecture a = t.architectures().get(i);
      points.add(
          new ParetoFront.Point<>(
              a, t.objective()[i], table.value(a, cost).orElse(Double.POSITIVE_INFINITY)));
    }
    return ParetoFront.of(points);
  }

  static void write(SearchBenchRun run, String cost, PrintStream stdout) throws IOException {
    TrueFront ref = TrueFront.of(run.table(), run.space(), run.objective(), cost, run.feasible());
    stdout.printf(
        Locale.ROOT,
        "%nPareto front of (%s up, %s down): true front %d architectures, hypervolume %.4f "
            + "(reference point %s %.2f, %s %.4f)%n",
        run.objective(),
        cost,
        ref.front().size(),
        ref.hypervolume(),
        run.objective(),
        ref.valueRef(),
        cost,
        ref.costRef());
    stdout.printf(
        Locale.ROOT,
        "%-14s %7s  %-22s  %10s  %12s%n",
        "algorithm",
        "queries",
        "hypervolume / true",
        "front size",
        "non-dominated");
    StringBuilder csv =
        new StringBuilder(
            "algorithm,queries,hypervolume_ratio_mean,hypervolume_ratio_std,front_size_mean,true_hypervolume\n");
    int maxBudget = run.budgets().stream().mapToInt(Integer::intValue).max().orElse(1);
    for (SearchBenchCommand.Result r : run.results()) {
      for (int budget : run.budgets()) {
        double[] ratio = new double[r.traces().size()];
        double size = 0;
        boolean allNonDominated = true;
        for (int s = 0; s < ratio.length; s++) {
          List<ParetoFront.Point<Architecture>> f =
              front(r.traces().get(s), budget, run.table(), cost);
          ratio[s] = ref.ratio(f);
          size += f.size();
          allNonDominated &= ParetoFront.isNonDominated(f);
        }
        double mean = SurrogateEvalCommand.mean(ratio);
        double std = SurrogateEvalCommand.std(ratio);
        stdout.printf(
            Locale.ROOT,
            "%-14s %7d  %.4f +- %-12.4f  %10.1f  %12s%n",
            r.algorithm(),
            budget,
            mean,
            std,
            size / ratio.length,
            allNonDominated ? "yes" : "NO");
        csv.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%.5f,%.5f,%.2f,%.5f%n",
                r.algorithm(),
                budget,
                mean,
                std,
                size / ratio.length,
                ref.hypervolume()));
      }
    }
    Files.writeString(run.out().resolve("pareto.csv"), csv);
    StringBuilder fronts =
        new StringBuilder("front,architecture," + run.objective() + "," + cost + "\n");
    ref.front()
        .forEach(
            p ->
                fronts.append(
                    String.format(
                        Locale.ROOT,
                        "true,%s,%.4f,%.6f%n",
                        run.space().format(p.item()),
                        p.value(),
                        p.cost())));
    for (SearchBenchCommand.Result r : run.results()) {
      front(r.traces().get(0), maxBudget, run.table(), cost)
          .forEach(
              p ->
                  fronts.append(
                      String.format(
                          Locale.ROOT,
                          "%s seed 0,%s,%.4f,%.6f%n",
                          r.algorithm(),
                          run.space().format(p.item()),
                          p.value(),
                          p.cost())));
    }
    Files.writeString(run.out().resolve("fronts.csv"), fronts);
    plot(
        run.results(),
        ref,
        run.table(),
        cost,
        maxBudget,
        run.objective(),
        run.out().resolve("fronts.png"));
    System.err.println(
        "wrote "
            + run.out().resolve("pareto.csv")
            + ", "
            + run.out().resolve("fronts.csv")
            + " and "
            + run.out().resolve("fronts.png"));
  }

  /** The true front as a grey staircase and each algorithm's seed-0 front as points. */
  private static void plot(
      List<SearchBenchCommand.Result> results,
      TrueFront ref,
      BenchmarkTable table,
      String cost,
      int budget,
      String objective,
      Path file)
      throws IOException {
    List<ParetoFront.Point<Architecture>> truth = ref.front();
    double xMin = truth.get(0).cost();
    double xMax = ref.costRef();
    double yMax = truth.get(truth.size() - 1).value() + 0.5;
    double yMin = Math.max(ref.valueRef(), yMax - 25);
    BufferedImage img = Charts.image();
    Graphics2D g = Charts.blank(img);
    java.util.function.DoubleUnaryOperator px = x -> LEFT + (x - xMin) / (xMax - xMin) * PLOT_WIDTH;
    java.util.function.DoubleUnaryOperator py = y -> TOP + (yMax - y) / (yMax - yMin) * PLOT_HEIGHT;
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT);
    g.drawString(
        objective
            + " (up) against "
            + cost
            + " (down): fronts after "
            + budget
            + " queries, seed 0",
        LEFT,
        25);
    g.drawString(cost, LEFT + PLOT_WIDTH / 2 - 30, Charts.HEIGHT - 15);
    for (int k = 0; k <= 4; k++) {
      double x = xMin + k * (xMax - xMin) / 4;
      double y = yMin + k * (yMax - yMin) / 4;
      g.drawString(
          String.format(Locale.ROOT, "%.2f", x),
          (int) px.applyAsDouble(x) - 15,
          TOP + PLOT_HEIGHT + 20);
      g.drawString(String.format(Locale.ROOT, "%.1f", y), 25, (int) py.applyAsDouble(y) + 5);
    }
    g.setClip(LEFT, TOP, PLOT_WIDTH + 1, PLOT_HEIGHT + 1);
    g.setColor(new Color(0x999999));
    g.setStroke(new BasicStroke(2f));
    for (int i = 0; i + 1 < truth.size(); i++) {
      var a = truth.get(i);
      var b = truth.get(i + 1);
      g.drawLine(
          (int) px.applyAsDouble(a.cost()),
          (int) py.applyAsDouble(a.value()),
          (int) px.applyAsDouble(b.cost()),
          (int) py.applyAsDouble(a.value()));
      g.drawLine(
          (int) px.applyAsDouble(b.cost()),
          (int) py.applyAsDouble(a.value()),
          (int) px.applyAsDouble(b.cost()),
          (int) py.applyAsDouble(b.value()));
    }
    for (int r = 0; r < results.size(); r++) {
      g.setColor(Charts.series(r));
      for (var p : front(results.get(r).traces().get(0), budget, table, cost)) {
        g.fillOval(
            (int) px.applyAsDouble(p.cost()) - 4, (int) py.applyAsDouble(p.value()) - 4, 8, 8);
      }
    }
    g.setClip(null);
    g.setColor(new Color(0x999999));
    g.fillRect(LEFT + PLOT_WIDTH + 10, TOP + 22, 16, 4);
    g.drawString("true front", LEFT + PLOT_WIDTH + 32, TOP + 30);
    for (int r = 0; r < results.size(); r++) {
      g.setColor(Charts.series(r));
      g.fillOval(LEFT + PLOT_WIDTH + 12, TOP + 44 + r * 22, 8, 8);
      g.drawString(results.get(r).algorithm(), LEFT + PLOT_WIDTH + 32, TOP + 52 + r * 22);
    }
    Charts.write(img, g, file);
  }
}
