package io.nassearch.launcher.bench;

import io.nassearch.coordinator.algorithm.tradeoff.DescriptorGrid;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.benchmark.TableConstraints;
import io.nassearch.coordinator.evaluation.QueryTrace;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The quality-diversity part of the search benchmark: per algorithm and budget, the share of
 * reachable MAP-Elites cells a run filled (coverage) and its QD-score (sum of elite objective above
 * the feasible median) as a fraction of the table's own best archive.
 */
final class ArchiveReport {
  private ArchiveReport() {}

  static DescriptorGrid grid(
      BenchmarkTable table,
      EnumerableSearchSpace space,
      List<String> columns,
      Predicate<Architecture> feasible,
      int bins) {
    List<ToDoubleFunction<Architecture>> fns = new ArrayList<>();
    for (String c : columns) {
      if (!table.columns().contains(c)) {
        throw new IllegalArgumentException(
            "Unknown descriptor column '" + c + "'; the table has " + table.columns());
      }
      fns.add(a -> table.value(a, c).orElse(Double.NaN));
    }
    return DescriptorGrid.over(
        columns, fns, TableConstraints.feasibleMembers(space, feasible), bins);
  }

  private static Map<Architecture, Double> values(QueryTrace t, int budget) {
    Map<Architecture, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(budget, t.queries()); i++) {
      out.put(t.architectures().get(i), t.objective()[i]);
    }
    return out;
  }

  static void write(SearchBenchRun run, DescriptorGrid grid, PrintStream stdout)
      throws IOException {
    Map<Architecture, Double> all = new LinkedHashMap<>();
    List<Double> sorted = new ArrayList<>();
    for (Architecture a : TableConstraints.feasibleMembers(run.space(), run.feasible())) {
      run.table()
          .value(a, run.objective())
          .ifPresent(
              v -> {
                all.put(a, v);
                sorted.add(v);
              });
    }
    sorted.sort(null);
    double floor = sorted.get(sorted.size() / 2);
    Set<Integer> reachable = new HashSet<>(grid.elites(all).keySet());
    double bestQd = grid.qdScore(all, floor);
    stdout.printf(
        Locale.ROOT,
        "%nMAP-Elites grid %s, %d bins each: %d of %d cells reachable; table's archive QD-score %.2f "
            + "(sum of elite %s above the median %.2f)%n",
        grid.names(),
        grid.bins(),
        reachable.size(),
        grid.cells(),
        bestQd,
        run.objective(),
        floor);
    stdout.printf(
        Locale.ROOT,
        "%-14s %7s  %-18s  %-18s%n",
        "algorithm",
        "queries",
        "coverage",
        "QD-score / table");
    StringBuilder csv =
        new StringBuilder(
            "algorithm,queries,coverage_mean,coverage_std,qd_ratio_mean,qd_ratio_std\n");
    for (SearchBenchCommand.Result r : run.results()) {
      for (int budget : run.budgets()) {
        double[] coverage = new double[r.traces().size()];
        double[] qd = new double[coverage.length];
        for (int s = 0; s < coverage.length; s++) {
          Map<Architecture, Double> told = values(r.traces().get(s), budget);
          told.values().removeIf(v -> v == Double.NEGATIVE_INFINITY);
          coverage[s] = (double) grid.elites(told).size() / reachable.size();
          qd[s] = grid.qdScore(told, floor) / bestQd;
        }
        stdout.printf(
            Locale.ROOT,
            "%-14s %7d  %.3f +- %-9.3f  %.3f +- %-9.3f%n",
            r.algorithm(),
            budget,
            SurrogateEvalCommand.mean(coverage),
            SurrogateEvalCommand.std(coverage),
            SurrogateEvalCommand.mean(qd),
            SurrogateEvalCommand.std(qd));
        csv.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%.4f,%.4f,%.4f,%.4f%n",
                r.algorithm(),
                budget,
                SurrogateEvalCommand.mean(coverage),
                SurrogateEvalCommand.std(coverage),
                SurrogateEvalCommand.mean(qd),
                SurrogateEvalCommand.std(qd)));
      }
    }
    Files.writeString(run.out().resolve("archive.csv"), csv);
    int budget = run.budgets().stream().mapToInt(Integer::intValue).max().orElse(1);
    StringBuilder cells =
        new StringBuilder(
            "algorithm,cell,"
                + String.join(",", grid.names().stream().map(n -> n + "_bin").toList())
                + ",architecture,"
                + run.objective()
                + "\n");
    for (SearchBenchCommand.Result r : run.results()) {
      Map<Architecture, Double> told = values(r.traces().get(0), budget);
      grid.elites(told)
          .forEach(
              (cell, a) -> {
                StringBuilder bins = new StringBuilder();
                for (int b : grid.bins(cell)) {
                  bins.append(b).append(',');
                }
                cells.append(
                    String.format(
                        Locale.ROOT,
                        "%s seed 0,%d,%s%s,%.4f%n",
                        r.algorithm(),
                        cell,
                        bins,
                        run.space().format(a),
                        told.get(a)));
              });
    }
    Files.writeString(run.out().resolve("archive_cells.csv"), cells);
    System.err.println(
        "wrote "
            + run.out().resolve("archive.csv")
            + " and "
            + run.out().resolve("archive_cells.csv"));
  }
}
