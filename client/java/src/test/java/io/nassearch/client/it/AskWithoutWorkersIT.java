package io.nassearch.client.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.nassearch.client.NasClient;
import io.nassearch.client.NasClientException;
import io.nassearch.client.Search;
import io.nassearch.client.Trial;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An ask that needs the surrogate while no worker is connected answers UNAVAILABLE saying so,
 * instead of hanging until the client's deadline; once a worker connects, asking again works.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AskWithoutWorkersIT {
  @Test
  void anAskNeedingTheSurrogateSaysNoWorkerIsConnected() throws Exception {
    try (LocalCluster cluster = AskTellIT.inProcessCluster(0)) {
      NasClient client = cluster.client();
      Search search = client.createSearch(AskTellIT.clientSearch(20));
      List<Trial> warmUp = client.askTrials(search.id(), 10, "c");
      assertEquals(10, warmUp.size(), "the random warm-up needs no surrogate");
      for (Trial t : warmUp) {
        client.tellTrial(search.id(), t.architecture(), AskTellIT.truth(t.architecture()));
      }
      long started = System.nanoTime();
      NasClientException e =
          assertThrows(NasClientException.class, () -> client.askTrials(search.id(), 5, "c"));
      assertEquals(Status.Code.UNAVAILABLE, e.code());
      assertTrue(e.description().contains("No worker is connected"), e.description());
      assertTrue(
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 30,
          "answered within the client's deadline");
      cluster.addWorker();
      assertEquals(5, client.askTrials(search.id(), 5, "c").size());
    }
  }
}
