package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trial book survives its stored form: results, failures, pending trials and who asked for
 * each.
 */
class TrialBookTest {
  private static final DeclaredSpace SPACE =
      SpaceCatalog.builtIn(SpaceCatalog.NB201, DataDirectory.none()).space();
  private static final Architecture A = SPACE.fromOrdinal(1);
  private static final Architecture B = SPACE.fromOrdinal(2);
  private static final Architecture F = SPACE.fromOrdinal(3);
  private static final Architecture P = SPACE.fromOrdinal(4);
  private static final byte[] DESIGNER = {7, 7, 7};

  private record Stored(Checkpoint checkpoint, TrialBook book) {}

  private static Stored filled() {
    TrialBook book = new TrialBook(SPACE);
    List<ScoredCandidate> results = new ArrayList<>();
    book.handOut(A, "alice");
    book.handOut(B, "bob");
    book.handOut(F, "carol");
    book.handOut(P, "alice");
    results.add(book.complete(A, 91.5));
    results.add(book.complete(B, 90.0));
    book.fail(F, "out of memory");
    return new Stored(new Checkpoint(book.state(DESIGNER), results), book);
  }

  @Test
  void storedTrialsKeepStatesValuesAndClients() {
    List<Trial> trials = TrialBook.storedTrials(filled().checkpoint());
    assertEquals(
        List.of(SPACE.format(A), SPACE.format(B), SPACE.format(F), SPACE.format(P)),
        trials.stream().map(Trial::getArchitecture).toList());
    assertEquals(
        List.of(
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_FAILED,
            TrialState.TRIAL_STATE_PENDING),
        trials.stream().map(Trial::getState).toList());
    assertEquals(
        List.of("alice", "bob", "carol", "alice"),
        trials.stream().map(Trial::getClientId).toList());
    assertEquals(91.5, trials.get(0).getObjective());
    assertEquals("out of memory", trials.get(2).getFailureReason());
  }

  @Test
  void aRestoredBookEqualsTheOriginal() {
    Stored stored = filled();
    TrialBook restored = new TrialBook(SPACE);
    assertArrayEquals(DESIGNER, restored.restore(stored.checkpoint()));
    assertEquals(stored.book().trials(), restored.trials());
    assertEquals(stored.book().best(), restored.best());
    assertArrayEquals(
        stored.book().state(DESIGNER),
        restored.state(DESIGNER),
        "the state round-trips byte for byte");
    assertEquals(
        List.of(P),
        restored.pendingFor("alice", 10),
        "pending trials are offered to their client again");
  }

  @Test
  void clientNumbersMustCoverTheStoredResultsExactly() {
    Checkpoint good = filled().checkpoint();
    Checkpoint truncated = new Checkpoint(good.algorithmState(), good.candidates().subList(0, 1));
    assertThrows(IllegalArgumentException.class, () -> TrialBook.storedTrials(truncated));
    Checkpoint foreign = new Checkpoint(new byte[] {0, 0, 0, 2, 1}, good.candidates());
    assertThrows(IllegalArgumentException.class, () -> TrialBook.storedTrials(foreign));
  }
}
