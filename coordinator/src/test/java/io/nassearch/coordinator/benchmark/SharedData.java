package io.nassearch.coordinator.benchmark;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared benchmark files for tests: skipped when absent, but a failure when CI=true. */
public final class SharedData {
  private SharedData() {}

  public static Path require(String fileName) {
    DataDirectory dir = DataDirectory.fromEnvironment();
    var file = dir.find(fileName);
    if (file.isEmpty()) {
      String message = "benchmark file " + fileName + " not found; looked at " + dir.placesLooked();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true, so this fails instead of skipping)");
      }
      Assumptions.abort(message);
    }
    return file.get();
  }
}
