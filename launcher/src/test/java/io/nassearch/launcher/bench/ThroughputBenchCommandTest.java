package io.nassearch.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.launcher.NasCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nas bench throughput} and {@code bench coordinator} on tiny settings: every mode
 * measures something and the output is consistent. How fast or how much heap is the benchmarks' to
 * print, not a test's to judge.
 */
class ThroughputBenchCommandTest {
  @Test
  void measuresInProcessAndThroughWorkerProcesses(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("throughput.csv");
    assertEquals(
        0,
        NasCommand.execute(
            new String[] {
              "bench",
              "throughput",
              "--batch-sizes",
              "256",
              "--workers",
              "1",
              "--seconds",
              "1",
              "--training-size",
              "50",
              "--logs",
              dir.resolve("logs").toString(),
              "--out",
              csv.toString()
            }));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("in-process,codes,1,256,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("in-process,floats,1,256,"), lines.get(2));
    assertTrue(lines.get(3).startsWith("system,codes,1,256,"), lines.get(3));
    assertTrue(lines.get(4).startsWith("system,floats,1,256,"), lines.get(4));
    for (String line : lines.subList(1, 5)) {
      String[] f = line.split(",");
      assertTrue(Double.parseDouble(f[4]) > 0, "scored something: " + line);
      assertTrue(
          Double.parseDouble(f[5]) > 0 && Double.parseDouble(f[6]) >= Double.parseDouble(f[5]),
          "p50 <= p99 in " + line);
      assertTrue(Double.parseDouble(f[8]) > 0, "worker (or in-process) CPU per million in " + line);
    }
    for (String line : lines.subList(3, 5)) {
      assertTrue(
          Double.parseDouble(line.split(",")[7]) > 0, "coordinator CPU per million in " + line);
    }
  }

  /** Runs {@code nas ARGS}, expecting exit code 0; returns what it printed on stdout. */
  private static String stdoutOf(String... args) {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, NasCommand.execute(args));
    } finally {
      System.setOut(original);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void coordinatorBenchMeasuresAskTell() throws Exception {
    String out =
        stdoutOf(
            "bench", "coordinator", "--clients", "2", "--seconds", "1", "--query-budget", "50");
    java.util.regex.Matcher row =
        java.util.regex.Pattern.compile("(?m)^\\s+2\\s+(\\d+)\\s+(\\d+)").matcher(out);
    assertTrue(row.find(), out);
    assertTrue(Long.parseLong(row.group(1)) > 0, "round trips: " + out);
  }

  /**
   * A real search end to end (coordinator, a worker process, the Java client): the CSV row has its
   * throughput and CPU, the heap is measured where asked, and the exhaustive check ranks the
   * search's best cell among all NB201 cells.
   */
  @Test
  void searchModeRunsARealSearchAndRanksItsBestAmongEveryMember(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("search.csv");
    String out =
        stdoutOf(
            "bench",
            "throughput",
            "--mode",
            "search",
            "--space",
            "nb201",
            "--candidates",
            "6000",
            "--batch-sizes",
            "256",
            "--workers",
            "1",
            "--seconds",
            "1",
            "--training-size",
            "50",
            "--heap-candidates",
            "3000",
            "--exhaustive",
            "--logs",
            dir.resolve("logs").toString(),
            "--out",
            csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(2, lines.size(), String.join("\n", lines));
    String[] f = lines.get(1).split(",");
    assertEquals("1", f[0]);
    assertEquals("6000", f[2], "the whole budget was scored");
    assertTrue(Double.parseDouble(f[6]) > 0, "in-process rate: " + lines.get(1));
    assertTrue(out.contains("ranks ") && out.contains(" of 15625 by the same model"), out);
    assertTrue(out.matches("(?s).*\\n\\s+3000\\s+[0-9.]+\\s+[0-9.]+.*"), "a heap row: " + out);
  }
}
