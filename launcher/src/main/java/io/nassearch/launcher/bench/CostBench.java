package io.nassearch.launcher.bench;

import io.nassearch.api.v1.EarlyStopping;
import io.nassearch.coordinator.algorithm.Designer;
import io.nassearch.coordinator.algorithm.stopping.StoppingRule;
import io.nassearch.coordinator.benchmark.BenchmarkTable;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.EnumerableSearchSpace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * {@code bench search --simulated-cost}: mean CIFAR-10 test accuracy of the incumbent against
 * simulated GPU hours on NAS-Bench-201 (see {@link SimulatedCostRun}), per method and seed. A
 * method is {@code hyperband}, an algorithm label, or a label with {@code +asha} (successive
 * halving at the 12-epoch rung, factor 3) or {@code +surrogate_rule} (the ranking-surrogate rule,
 * quantile 0.5, top fraction 0.25), both the coordinator's own {@link StoppingRule}s.
 */
final class CostBench {
  /** Accuracies whose first crossing by the mean curve is reported. */
  static final double[] THRESHOLDS = {93.92, 94.30};

  private static final double GRID_HOURS = 0.25;

  /** A designer for (label, seed). */
  interface Designers {
    Designer create(String label, long seed);
  }

  record Method(String label, List<List<SimulatedCostRun.Event>> runs) {
    double[] at(double hours) {
      return runs.stream().mapToDouble(r -> SimulatedCostRun.testAt(r, hours)).toArray();
    }

    /** The first grid point at which the mean over all runs reaches {@code accuracy}. */
    double hoursTo(double accuracy, double capHours) {
      for (double h = GRID_HOURS; h <= capHours + 1e-9; h += GRID_HOURS) {
        double[] v = at(h);
        if (count(v) == v.length && mean(v) >= accuracy) {
          return h;
        }
      }
      return Double.NaN;
    }
  }

  private CostBench() {}

  static List<Method> run(
      List<String> labels,
      int seeds,
      double capHours,
      BenchmarkTable table,
      EnumerableSearchSpace space,
      Architecture target,
      Designers designers,
      ExecutorService pool)
      throws Exception {
    for (String column : List.of(SimulatedCostRun.TIME, SimulatedCostRun.VALID_12)) {
      if (!table.columns().contains(column)) {
        throw new IllegalArgumentException(
            "--simulated-cost needs the column " + column + " of nb201.csv in the data directory");
      }
    }
    List<Method> out = new ArrayList<>();
    for (String label : labels) {
      long started = System.nanoTime();
      List<Future<List<SimulatedCostRun.Event>>> futures = new ArrayList<>();
      for (int s = 0; s < seeds; s++) {
        long seed = s;
        futures.add(
            pool.submit(
                () -> {
                  SimulatedCostRun run = new SimulatedCostRun(table, capHours * 3600, target);
                  if (label.equals("hyperband")) {
                    return run.hyperband(space, seed).events();
                  }
                  String[] parts = label.split("\\+", 2);
                  Designer designer = designers.create(parts[0], seed);
                  StoppingRule rule =
                      parts.length == 1 ? null : StoppingRule.of(rule(parts[1]), designer);
                  return run.designer(designer, rule).events();
                }));
      }
      List<List<SimulatedCostRun.Event>> runs = new ArrayList<>();
      for (Future<List<SimulatedCostRun.Event>> f : futures) {
        runs.add(f.get());
      }
      out.add(new Method(label, runs));
      System.err.printf(
          Locale.ROOT,
          "%s: %d seeds in %.1f s%n",
          label,
          seeds,
          (System.nanoTime() - started) / 1e9);
    }
    return out;
  }

  static EarlyStopping rule(String name) {
    return switch (name) {
      case "asha" ->
          EarlyStopping.newBuilder()
              .setRule(EarlyStopping.Rule.RULE_SUCCESSIVE_HALVING)
              .setMinStep(SimulatedCostRun.SHORT)
              .setReductionFactor(3)
              .build();
      case "surrogate_rule" ->
          EarlyStopping.newBuilder()
              .setRule(EarlyStopping.Rule.RULE_SURROGATE)
              .setMinStep(SimulatedCostRun.SHORT)
              .setQuantile(0.5)
              .setTopFraction(0.25)
              .build();
      default ->
          throw new IllegalArgumentException(
              "Expected +asha or +surrogate_rule after an algorithm, but got +" + name);
    };
  }

  /** The table: mean +- std (runs with an incumbent) at each budget, and hours to thresholds. */
  static void print(List<Method> methods, List<Double> hours, double capHours, PrintStream out) {
    StringBuilder head = new StringBuilder("| method |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (double h : hours) {
      head.append(String.format(Locale.ROOT, " %s GPU h |", fmt(h)));
      rule.append(" --- |");
    }
    for (double t : THRESHOLDS) {
      head.append(String.format(Locale.ROOT, " GPU h to mean >= %.2f |", t));
      rule.append(" ---: |");
    }
    out.println(head);
    out.println(rule);
    for (Method m : methods) {
      StringBuilder row = new StringBuilder("| " + m.label() + " |");
      for (double h : hours) {
        double[] v = m.at(h);
        row.append(
            count(v) == 0
                ? " - |"
                : String.format(
                    Locale.ROOT,
                    " %.2f +- %.2f%s |",
                    mean(v),
                    std(v),
                    count(v) < v.length ? " (" + count(v) + " runs)" : ""));
      }
      for (double t : THRESHOLDS) {
        double h = m.hoursTo(t, capHours);
        row.append(Double.isNaN(h) ? " > " + fmt(capHours) + " |" : " " + fmt(h) + " |");
      }
      out.println(row);
    }
  }

  /**
   * cost_summary.csv (method, budget, mean, std, runs) and cost_curves.csv (mean per grid hour).
   */
  static void write(List<Method> methods, List<Double> hours, double capHours, Path dir)
      throws Exception {
    StringBuilder summary = new StringBuilder("method,gpu_hours,mean_c10_test,std,runs\n");
    for (Method m : methods) {
      for (double h : hours) {
        double[] v = m.at(h);
        summary.append(
            String.format(
                Locale.ROOT, "%s,%s,%.4f,%.4f,%d%n", m.label(), fmt(h), mean(v), std(v), count(v)));
      }
    }
    StringBuilder curves = new StringBuilder("gpu_hours");
    methods.forEach(m -> curves.append(',').append(m.label()));
    curves.append('\n');
    for (double h = GRID_HOURS; h <= capHours + 1e-9; h += GRID_HOURS) {
      curves.append(fmt(h));
      for (Method m : methods) {
        curves.append(String.format(Locale.ROOT, ",%.4f", mean(m.at(h))));
      }
      curves.append('\n');
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cost_summary.csv"), summary);
    Files.writeString(dir.resolve("cost_curves.csv"), curves);
  }

  private static String fmt(double hours) {
    return hours == Math.rint(hours)
        ? Long.toString((long) hours)
        : String.format(Locale.ROOT, "%.2f", hours);
  }

  static int count(double[] v) {
    int n = 0;
    for (double x : v) {
      n += Double.isNaN(x) ? 0 : 1;
    }
    return n;
  }

  /** Mean over the non-NaN values; NaN when none. */
  static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += Double.isNaN(x) ? 0 : x;
    }
    return count(v) == 0 ? Double.NaN : sum / count(v);
  }

  static double std(double[] v) {
    double m = mean(v);
    double sum = 0;
    for (double x : v) {
      sum += Double.isNaN(x) ? 0 : (x - m) * (x - m);
    }
    return count(v) < 2 ? 0 : Math.sqrt(sum / (count(v) - 1));
  }
}
