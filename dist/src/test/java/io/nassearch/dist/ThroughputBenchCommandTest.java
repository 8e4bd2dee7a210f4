package io.nassearch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./nas bench throughput} on a tiny setting: both modes measure something and the CSV agrees. */
class ThroughputBenchCommandTest {
  @Test
  void measuresInProcessAndThroughTheSystem(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("throughput.csv");
    assertEquals(0, NasCommand.execute(new String[] {"bench", "throughput", "--batch-sizes", "256", "--workers", "1",
        "--seconds", "1", "--training-size", "50", "--out", csv.toString()}));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("in-process,0,256,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("system,1,256,"), lines.get(2));
    for (String line : lines.subList(1, 3)) {
      String[] f = line.split(",");
      assertTrue(Double.parseDouble(f[3]) > 1_000, "candidates/s in " + line);
      assertTrue(Double.parseDouble(f[4]) > 0 && Double.parseDouble(f[5]) >= Double.parseDouble(f[4]), "p50 <= p99 in " + line);
    }
  }
}
