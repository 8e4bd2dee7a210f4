package io.nassearch.client.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.client.Candidate;
import io.nassearch.client.NasClient;
import io.nassearch.client.Search;
import io.nassearch.client.SearchRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java example of README.md ("Use it from Java"), line for line, against a real coordinator and
 * worker.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReadmeExampleIT {
  @Test
  void theReadmeExampleRunsAsWritten() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try (LocalCluster cluster =
        new LocalCluster(LocalCluster.Transport.NETTY, 1, LocalCluster.testConfig())) {
      String target = "127.0.0.1:" + cluster.coordinator().port();
      // --- README.md, "Use it from Java" (target and System.out aside) ---
      try (NasClient client = NasClient.newBuilder().target(target).build()) {
        Search search =
            client.createSearch(
                SearchRequest.builder()
                    .space("nb201")
                    .algorithm("regularized_evolution")
                    .trainingBudget(200)
                    .candidateBudget(3000)
                    .seed(7)
                    .build());
        Search done =
            client.awaitCompletion(
                search.id(), Duration.ofMinutes(5), event -> out.println(event.message()));
        for (Candidate c : client.results(done.id(), 10).candidates()) {
          out.printf(
              "%2d %s valid %.2f test %.2f%n",
              c.predictedRank(),
              c.architecture(),
              c.trueObjective().orElse(Double.NaN),
              c.trueTestAccuracy().orElse(Double.NaN));
        }
      }
      // --- end of the README example ---
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("search finished"), printed);
    assertEquals(
        10,
        printed
            .lines()
            .filter(l -> l.matches("\\s*\\d+ \\|.*valid \\d+\\.\\d+ test \\d+\\.\\d+"))
            .count(),
        printed);
  }
}
