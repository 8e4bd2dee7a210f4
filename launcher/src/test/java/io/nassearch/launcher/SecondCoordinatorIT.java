package io.nassearch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.client.NasClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator processes on one SQLite file: the second is refused with one line and a non-zero
 * exit, and the first keeps serving.
 */
class SecondCoordinatorIT {
  @TempDir Path dir;

  @Test
  void aSecondCoordinatorOnTheSameStoreExitsWithOneLine() throws Exception {
    Path db = dir.resolve("coordinator.db");
    try (NasProcesses p = new NasProcesses(dir)) {
      int port = NasProcesses.freePort();
      p.start(
          "first",
          "coordinator",
          "--port",
          "" + port,
          "--store",
          "sqlite:" + db,
          "--metrics-port",
          "-1");
      try (NasClient client = NasProcesses.client(port)) {
        int other = NasProcesses.freePort();
        Process second =
            p.start(
                "second",
                "coordinator",
                "--port",
                "" + other,
                "--store",
                "sqlite:" + db,
                "--metrics-port",
                "-1");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second coordinator exits");
        assertEquals(CoordinatorCommand.STORE_UNAVAILABLE, second.exitValue());
        List<String> lines =
            Files.readAllLines(dir.resolve("second.log")).stream()
                .filter(l -> l.startsWith("nas coordinator: "))
                .toList();
        assertEquals(1, lines.size(), "one line: " + lines);
        assertTrue(
            lines.get(0).contains("Another coordinator holds the store " + db), lines.get(0));
        assertTrue(
            Files.readAllLines(dir.resolve("second.log")).stream()
                .noneMatch(l -> l.contains("\tat ")),
            "no stack trace");
        assertTrue(client.spaces().size() > 0, "the first coordinator still answers");
      }
    }
  }
}
