package io.nassearch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nas bench search} end to end on a small budget with the real TensorFlow surrogate: the table,
 * the CSV files and the plots come out, and the numbers in them are consistent.
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
    String table = run("bench", "search", "--algorithms", "random,evolution,guided", "--seeds", "2", "--budgets", "20,30",
        "--horizon", "30", "--epochs", "20", "--guided", "ensemble_size=2,random_candidates=100", "--out", out.toString());
    for (String algorithm : List.of("random", "evolution", "guided")) {
      assertTrue(table.lines().filter(l -> l.startsWith(algorithm + " ")).count() == 2, algorithm + " rows in\n" + table);
    }
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(1 + 3 * 2, summary.size());
    List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals(1 + 30, curves.size(), "one row per query up to the horizon");
    for (String row : curves.subList(1, curves.size())) {
      for (String value : row.split(",")) {
        double v = Double.parseDouble(value);
        assertTrue(v > 0 && v <= 100 || row.startsWith(value), "curves hold test accuracies in percent: " + row);
      }
    }
    assertTrue(Files.size(out.resolve("curves.png")) > 5_000);
  }

  @Test
  void multiObjectiveAndMapElitesReportsCompareAgainstTheTable(@TempDir Path out) throws Exception {
    String table = run("bench", "search", "--algorithms", "random,guided", "--seeds", "2", "--budgets", "30",
        "--epochs", "20", "--guided", "ensemble_size=2,random_candidates=100", "--cost", "params_cifar10",
        "--constraint", "params_cifar10<=1000000", "--out", out.resolve("mo").toString());
    assertTrue(table.contains("Pareto front of (cifar10_valid up, params_cifar10 down)"), table);
    for (String line : Files.readAllLines(out.resolve("mo").resolve("pareto.csv")).subList(1, 3)) {
      double ratio = Double.parseDouble(line.split(",")[2]);
      assertTrue(ratio > 0 && ratio <= 1, line);
    }
    assertTrue(table.lines().filter(l -> l.contains("NO")).findAny().isEmpty(), "every front is non-dominated:\n" + table);

    String qd = run("bench", "search", "--algorithms", "random,guided", "--seeds", "2", "--budgets", "30",
        "--epochs", "20", "--guided", "ensemble_size=2,random_candidates=100", "--descriptors", "params_cifar10,flops_cifar10",
        "--bins", "4", "--out", out.resolve("qd").toString());
    assertTrue(qd.contains("MAP-Elites grid [params_cifar10, flops_cifar10], 4 bins each"), qd);
    List<String> archive = Files.readAllLines(out.resolve("qd").resolve("archive.csv"));
    assertEquals(3, archive.size());
    for (String line : archive.subList(1, 3)) {
      double coverage = Double.parseDouble(line.split(",")[2]);
      assertTrue(coverage > 0 && coverage <= 1, line);
    }
  }
}
