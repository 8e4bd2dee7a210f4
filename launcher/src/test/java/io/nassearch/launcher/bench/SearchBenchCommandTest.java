package io.nassearch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.launcher.NasCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nas bench search} end to end on a small budget with the real TensorFlow surrogate: the
 * table, the CSV files and the plots come out, and the numbers in them are consistent.
 */
class SearchBenchCommandTest {
  private static String run(String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, NasCommand.execute(args), "exit code");
    } finally {
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void comparesAlgorithmsAndWritesTablesAndPlots(@TempDir Path out) throws Exception {
    String table = smallBenchSearch(out, "random,evolution,guided", "20,30", "--horizon", "30");
    for (String algorithm : List.of("random", "evolution", "guided")) {
      assertTrue(
          table.lines().filter(l -> l.startsWith(algorithm + " ")).count() == 2,
          algorithm + " rows in\n" + table);
    }
    // Seeded runs: the numbers are known (seconds_per_run, the last column, is timing and left
    // out).
    List<String> summary =
        Files.readAllLines(out.resolve("summary.csv")).stream()
            .map(l -> l.substring(0, l.lastIndexOf(',')))
            .toList();
    assertEquals(
        List.of(
            "algorithm,queries,cifar10_test_mean,cifar10_test_std,cifar100_test_mean,cifar100_test_std,imagenet16_test_mean,"
                + "imagenet16_test_std,objective_regret,found_optimum_fraction,median_queries_to_optimum,median_queries_to_within_0.1pct",
            "random,20,93.3250,0.4360,70.2367,0.3441,44.1944,0.0393,0.9240,0.000,inf,inf",
            "random,30,93.3250,0.4360,70.2367,0.3441,44.1944,0.0393,0.9240,0.000,inf,inf",
            "evolution,20,93.8083,0.2475,70.3500,0.1838,44.8667,0.9899,0.7193,0.000,inf,inf",
            "evolution,30,93.8392,0.2911,71.2200,1.0465,44.8083,0.9075,0.3937,0.000,inf,inf",
            "guided,20,93.3833,0.3536,70.1767,0.4290,43.9778,0.2671,0.9160,0.000,inf,inf",
            "guided,30,93.3617,0.3842,70.1150,0.5162,44.2833,0.1650,0.9007,0.000,inf,inf"),
        summary);
    List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals("queries,random,evolution,guided", curves.get(0));
    assertEquals(1 + 30, curves.size(), "one row per query up to the horizon");
    assertEquals(
        "1,92.6275,92.6275,92.6275",
        curves.get(1),
        "the same first random architecture for every algorithm");
    for (int q = 1; q <= 30; q++) {
      assertTrue(curves.get(q).startsWith(q + ","), curves.get(q));
    }
    // The curve at a budget is the summary's test accuracy at that budget.
    for (int budget : List.of(20, 30)) {
      String[] row = curves.get(budget).split(",");
      for (int a = 0; a < 3; a++) {
        String algorithm = List.of("random", "evolution", "guided").get(a);
        String summaryRow =
            summary.stream()
                .filter(l -> l.startsWith(algorithm + "," + budget + ","))
                .findFirst()
                .orElseThrow();
        assertEquals(summaryRow.split(",")[2], row[a + 1], algorithm + " at " + budget);
      }
    }
    assertTrue(Files.size(out.resolve("curves.png")) > 5_000);
  }

  /**
   * The README's headline claim at a small scale, with the default guided settings: on NB201 the
   * ranking-surrogate guided search reaches the best-validation cell in fewer queries than
   * regularized evolution and than the same loop with the MSE surrogate (3 seeds, 60 queries).
   */
  @Test
  void theRankingSurrogateGuidedSearchReachesTheOptimumInFewerQueriesThanEvolutionAndMse(
      @TempDir Path out) throws Exception {
    run(
        "bench",
        "search",
        "--algorithms",
        "evolution,guided_mse,guided",
        "--seeds",
        "3",
        "--budgets",
        "60",
        "--horizon",
        "60",
        "--out",
        out.toString());
    Map<String, String[]> rows = new HashMap<>();
    Files.readAllLines(out.resolve("summary.csv")).stream()
        .skip(1)
        .forEach(l -> rows.put(l.split(",")[0], l.split(",")));
    assertEquals(Set.of("evolution", "guided_mse", "guided"), rows.keySet());
    // median_queries_to_optimum (column 10; "inf" when most seeds never reach it) and
    // found_optimum_fraction (9).
    double guided = Double.parseDouble(rows.get("guided")[10]);
    double mse = Double.parseDouble(rows.get("guided_mse")[10].replace("inf", "Infinity"));
    double evolution = Double.parseDouble(rows.get("evolution")[10].replace("inf", "Infinity"));
    assertTrue(
        guided < mse && guided < evolution,
        "median queries to the optimum: guided "
            + guided
            + ", mse "
            + mse
            + ", evolution "
            + evolution);
    assertEquals(42.0, guided, "seeded");
    assertEquals("0.667", rows.get("guided")[9], "2 of 3 seeds found it");
    assertEquals("0.000", rows.get("guided_mse")[9]);
    assertEquals("0.000", rows.get("evolution")[9]);
  }

  /**
   * {@code bench search} of the algorithms, 2 seeds each, guided with a small ensemble and short
   * training, reported at the budgets and written to out, with the extra flags.
   */
  @Test
  void simulatedCostComparesMethodsByGpuHoursAndLeavesTheQueryOutputsAlone(@TempDir Path out)
      throws Exception {
    String table =
        smallBenchSearch(
            out,
            "random",
            "20",
            "--simulated-cost",
            "--cost-methods",
            "random,random+asha,hyperband",
            "--gpu-hours",
            "1,5");
    assertTrue(table.contains("| method | 1 GPU h | 5 GPU h | GPU h to mean >= 93.92 |"), table);
    for (String method : List.of("random", "random+asha", "hyperband")) {
      assertTrue(table.contains("| " + method + " |"), table);
    }
    assertTrue(!Files.exists(out.resolve("summary.csv")), "the query comparison is not run");
    List<String> summary = Files.readAllLines(out.resolve("cost_summary.csv"));
    assertEquals("method,gpu_hours,mean_c10_test,std,runs", summary.get(0));
    assertEquals(1 + 3 * 2, summary.size());
    assertEquals(
        "gpu_hours,random,random+asha,hyperband",
        Files.readAllLines(out.resolve("cost_curves.csv")).get(0));
  }

  private static String smallBenchSearch(
      Path out, String algorithms, String budgets, String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench",
                "search",
                "--algorithms",
                algorithms,
                "--seeds",
                "2",
                "--budgets",
                budgets,
                "--epochs",
                "20",
                "--guided",
                "ensemble_size=2,random_candidates=100",
                "--out",
                out.toString()));
    args.addAll(List.of(flags));
    return run(args.toArray(String[]::new));
  }

  @Test
  void paretoReportComparesFrontsWithTheTables(@TempDir Path out) throws Exception {
    String table =
        smallBenchSearch(
            out,
            "random,guided",
            "30",
            "--cost",
            "params_cifar10",
            "--constraint",
            "params_cifar10<=1000000");
    assertTrue(table.contains("Pareto front of (cifar10_valid up, params_cifar10 down)"), table);
    // Hypervolume ratio and front size, mean and std over the 2 seeds: known for seeded runs.
    List<String> pareto = Files.readAllLines(out.resolve("pareto.csv"));
    assertEquals(
        List.of(
            "random,30,0.69541,0.16814,5.50,2465273.06589",
            "guided,30,0.62549,0.11809,6.00,2465273.06589"),
        pareto.subList(1, pareto.size()));
    assertTrue(
        table.lines().filter(l -> l.contains("NO")).findAny().isEmpty(),
        "every front is non-dominated:\n" + table);
  }

  @Test
  void archiveReportComparesMapElitesGridsWithTheTables(@TempDir Path out) throws Exception {
    String table =
        smallBenchSearch(
            out,
            "random,guided",
            "30",
            "--descriptors",
            "params_cifar10,flops_cifar10",
            "--bins",
            "4");
    assertTrue(
        table.contains("MAP-Elites grid [params_cifar10, flops_cifar10], 4 bins each"), table);
    assertEquals(
        List.of(
            "algorithm,queries,coverage_mean,coverage_std,qd_ratio_mean,qd_ratio_std",
            "random,30,0.7500,0.0000,0.5148,0.0749",
            "guided,30,1.0000,0.0000,0.7548,0.0642"),
        Files.readAllLines(out.resolve("archive.csv")));
  }
}
