package io.nassearch.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nas demo} as a user runs it: real processes (coordinator, two workers) on loopback. Checks
 * the report and that no process outlives the demo, also when it is stopped early like Ctrl-C.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DemoIT {
  @TempDir Path logs;

  private Process demo(String... extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add(NasCommand.class.getName());
    command.add("demo");
    command.add("--logs");
    command.add(logs.toString());
    command.addAll(List.of(extra));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    return builder.start();
  }

  private static List<ProcessHandle> childrenOf(long pid) {
    String marker = "--parent-pid " + pid;
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  @Test
  void printsTheTopArchitecturesWithGroundTruthAndLeavesNoProcessBehind() throws Exception {
    Process p = demo("--training-budget", "100", "--budget", "1000", "--seed", "3");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> !p.isAlive() || childrenOf(p.pid()).size() == 3);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(4, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SUCCEEDED"), out);
    assertTrue(out.contains("RANK") && out.contains("TEST REGRET"), out);
    // The headline names the highest-validation row of the table (as printed, 2 decimals) and its
    // test accuracy.
    List<String[]> table =
        out.lines()
            .filter(l -> l.matches("\\s+\\d+\\s+\\|.*"))
            .map(l -> l.trim().split("\\s+"))
            .toList();
    double bestValid =
        table.stream().mapToDouble(r -> Double.parseDouble(r[3])).max().orElseThrow();
    String optimum = out.replaceAll("(?s).*test accuracy optimum (\\S+).*", "$1");
    List<String> expected =
        table.stream()
            .filter(r -> Double.parseDouble(r[3]) == bestValid)
            .map(
                r ->
                    "picked (highest cifar10_valid of these 10): rank "
                        + r[0]
                        + " "
                        + r[1]
                        + ", test accuracy "
                        + r[4]
                        + "% ("
                        + r[5]
                        + " points below the table's best test accuracy "
                        + optimum
                        + "%)")
            .toList();
    assertTrue(expected.stream().anyMatch(out::contains), expected + "\n" + out);
    assertTrue(out.contains("candidates scored per second end to end (2 workers)"), out);
    long rows = out.lines().filter(l -> l.matches("\\s+\\d+\\s+\\|.*")).count();
    assertEquals(10, rows, out);
    await().atMost(Duration.ofSeconds(15)).until(() -> childrenOf(p.pid()).isEmpty());
  }

  @Test
  void stoppingTheDemoEarlyStopsItsProcesses() throws Exception {
    Process p = demo("--budget", "15000", "--training-budget", "100");
    await().atMost(Duration.ofMinutes(2)).until(() -> childrenOf(p.pid()).size() == 3);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                Files.exists(logs.resolve("worker-1.log"))
                    && Files.size(logs.resolve("coordinator.log")) > 0);
    p.destroy(); // SIGTERM, as Ctrl-C's shutdown path
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    await().atMost(Duration.ofSeconds(30)).until(() -> childrenOf(p.pid()).isEmpty());
  }
}
