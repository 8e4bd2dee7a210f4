package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.benchmark.DataDirectory;
import io.nassearch.coordinator.catalog.SpaceCatalog;
import io.nassearch.coordinator.space.Architecture;
import io.nassearch.coordinator.space.declared.DeclaredSpace;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
  private static final Architecture I = SPACE.fromOrdinal(5);
  private static final Architecture S = SPACE.fromOrdinal(6);
  private static final Architecture N = SPACE.fromOrdinal(7);
  private static final byte[] DESIGNER = {7, 7, 7};

  private record Stored(Checkpoint checkpoint, TrialBook book) {}

  private static Stored filled() {
    long[] now = {1_000};
    TrialBook book = new TrialBook(SPACE, () -> now[0]++);
    List<ScoredCandidate> results = new ArrayList<>();
    book.handOut(A, "alice");
    book.handOut(B, "bob");
    book.handOut(F, "carol");
    book.handOut(P, "alice");
    results.add(book.complete(A, 91.5));
    results.add(book.complete(B, 90.0));
    book.fail(F, "out of memory");
    book.handOut(I, "bob");
    book.markInfeasible(I, "over 4 GB");
    book.handOut(S, "carol");
    book.measure(S, 4, 60.0);
    book.measure(S, 12, 70.5);
    book.stop(S, "successive halving");
    book.measure(P, 1, 30.0);
    book.add(N, "dave");
    results.add(book.complete(N, 80.0));
    TrialBook.Saved saved = book.save(DESIGNER);
    return new Stored(new Checkpoint(saved.state(), results, saved.records()), book);
  }

  private static List<Trial> storedTrials(Checkpoint checkpoint) {
    TrialBook book = new TrialBook(SPACE);
    book.restore(checkpoint);
    return book.trials();
  }

  @Test
  void storedTrialsKeepStatesValuesClientsTimesAndMeasurements() {
    List<Trial> trials = storedTrials(filled().checkpoint());
    assertEquals(
        List.of(A, B, N, F, I, S, P).stream().map(SPACE::format).toList(),
        trials.stream().map(Trial::getArchitecture).toList());
    assertEquals(
        List.of(
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_FAILED,
            TrialState.TRIAL_STATE_INFEASIBLE,
            TrialState.TRIAL_STATE_STOPPED,
            TrialState.TRIAL_STATE_PENDING),
        trials.stream().map(Trial::getState).toList());
    assertEquals(
        List.of("alice", "bob", "dave", "carol", "bob", "carol", "alice"),
        trials.stream().map(Trial::getClientId).toList());
    assertEquals(91.5, trials.get(0).getObjective());
    assertEquals("out of memory", trials.get(3).getFailureReason());
    assertEquals("over 4 GB", trials.get(4).getFailureReason());
    Trial stopped = trials.get(5);
    assertEquals(70.5, stopped.getObjective(), "a stopped trial keeps its last measurement");
    assertEquals(
        List.of(4L, 12L), stopped.getMeasurementsList().stream().map(m -> m.getStep()).toList());
    assertTrue(stopped.hasAskTime() && stopped.hasTellTime());
    assertTrue(
        Timestamps.toMillis(stopped.getTellTime()) > Timestamps.toMillis(stopped.getAskTime()));
    assertFalse(trials.get(6).hasTellTime(), "pending: not told yet");
    assertTrue(trials.get(2).getAdded() && !trials.get(0).getAdded());
  }

  /** What formats 3 and 4 share: the designer, P pending, F failed, one completed by alice. */
  private static void writeFormat3Part(DataOutputStream out, int format) throws IOException {
    out.writeInt(format);
    out.writeInt(DESIGNER.length);
    out.write(DESIGNER);
    out.writeInt(1); // pending
    out.writeUTF(SPACE.format(P));
    out.writeUTF("alice");
    out.writeInt(1); // failures
    out.writeUTF(SPACE.format(F));
    out.writeUTF("out of memory");
    out.writeInt(3); // clients
    out.writeUTF("");
    out.writeUTF("alice");
    out.writeUTF("carol");
    out.writeInt(1); // completed: one run of client 1
    out.writeInt(1);
    out.writeInt(1);
    out.writeInt(1);
    out.writeInt(2); // the failure's asker
  }

  /**
   * A checkpoint written before format 4 (no infeasible or stopped trials, times, measurements).
   */
  @Test
  void aFormat3CheckpointStillLoads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeFormat3Part(out, 3);
    }
    Checkpoint old =
        new Checkpoint(bytes.toByteArray(), List.of(new ScoredCandidate(SPACE.format(A), 91.5)));
    TrialBook book = new TrialBook(SPACE);
    assertArrayEquals(DESIGNER, book.restore(old));
    List<Trial> trials = book.trials();
    assertEquals(
        List.of("alice", "carol", "alice"), trials.stream().map(Trial::getClientId).toList());
    assertEquals(
        List.of(
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_FAILED,
            TrialState.TRIAL_STATE_PENDING),
        trials.stream().map(Trial::getState).toList());
    assertFalse(trials.get(0).hasAskTime(), "times were not kept then");
  }

  @Test
  void aRestoredBookEqualsTheOriginal() {
    Stored stored = filled();
    TrialBook restored = new TrialBook(SPACE);
    assertArrayEquals(DESIGNER, restored.restore(stored.checkpoint()));
    assertEquals(stored.book().trials(), restored.trials());
    assertEquals(stored.book().best(), restored.best());
    TrialBook.Saved again = restored.save(DESIGNER);
    assertArrayEquals(
        stored.book().save(DESIGNER).state(), again.state(), "the state round-trips byte for byte");
    assertEquals(List.of(), again.records(), "restored records are not stored again");
    assertEquals(
        List.of(P),
        restored.pendingFor("alice", 10),
        "pending trials are offered to their client again");
  }

  @Test
  void recordsMustMatchTheStoredStateAndResults() {
    Checkpoint good = filled().checkpoint();
    Checkpoint truncated =
        new Checkpoint(good.algorithmState(), good.candidates().subList(0, 1), good.trialRecords());
    assertThrows(IllegalArgumentException.class, () -> storedTrials(truncated));
    List<byte[]> records = good.trialRecords();
    Checkpoint oneLost =
        new Checkpoint(
            good.algorithmState(), good.candidates(), records.subList(0, records.size() - 1));
    assertThrows(IllegalArgumentException.class, () -> storedTrials(oneLost));
    Checkpoint foreign = new Checkpoint(new byte[] {0, 0, 0, 2, 1}, good.candidates());
    assertThrows(IllegalArgumentException.class, () -> storedTrials(foreign));
  }

  /**
   * A checkpoint costs what changed: the state holds the pending trials only, and each save hands
   * out the records of the trials finished since the one before.
   */
  @Test
  void aSaveStoresOnlyWhatChangedSinceTheLast() {
    TrialBook book = new TrialBook(SPACE, () -> 1_000);
    int stateSize = -1;
    for (int i = 0; i < 200; i++) {
      Architecture a = SPACE.fromOrdinal(10 + i);
      book.handOut(a, "alice");
      assertEquals(List.of(), book.save(DESIGNER).records(), "an ask finishes nothing");
      if (i % 2 == 0) {
        book.complete(a, 50 + i);
      } else {
        book.fail(a, "diverged");
      }
      TrialBook.Saved saved = book.save(DESIGNER);
      assertEquals(1, saved.records().size());
      stateSize = stateSize < 0 ? saved.state().length : stateSize;
      assertEquals(stateSize, saved.state().length, "trial " + i);
    }
  }

  /** A surrogate-scored search (no clients, no details) keeps no record per candidate. */
  @Test
  void scoredCandidatesWithoutClientsLeaveNoRecords() {
    TrialBook book = new TrialBook(SPACE);
    for (int i = 0; i < 50; i++) {
      book.complete(SPACE.fromOrdinal(10 + i), i);
    }
    assertEquals(List.of(), book.save(DESIGNER).records());
  }

  /**
   * A format 4 checkpoint (everything in the state) loads, and its next save stores every finished
   * trial as a record, so nothing is lost when the new state replaces it.
   */
  @Test
  void aFormat4CheckpointLoadsAndMovesItsTrialsIntoRecords() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeFormat3Part(out, 4);
      out.writeInt(1); // infeasible
      out.writeUTF(SPACE.format(I));
      out.writeUTF("over 4 GB");
      out.writeInt(1); // stopped
      out.writeUTF(SPACE.format(S));
      out.writeDouble(70.5);
      out.writeUTF("successive halving");
      out.writeInt(1); // the infeasible trial's asker
      out.writeInt(2); // the stopped trial's asker
      out.writeInt(2); // details
      out.writeUTF(SPACE.format(A));
      new TrialDetails(1_000).write(out);
      out.writeUTF(SPACE.format(S));
      TrialDetails s = new TrialDetails(1_001);
      s.tellMillis = 1_005;
      s.measurements.put(12L, 70.5);
      s.write(out);
    }
    List<ScoredCandidate> results = List.of(new ScoredCandidate(SPACE.format(A), 91.5));
    TrialBook old = new TrialBook(SPACE);
    assertArrayEquals(DESIGNER, old.restore(new Checkpoint(bytes.toByteArray(), results)));
    List<Trial> trials = old.trials();
    assertEquals(
        List.of("alice", "carol", "alice", "carol", "alice"),
        trials.stream().map(Trial::getClientId).toList());
    assertEquals(
        List.of(
            TrialState.TRIAL_STATE_COMPLETED,
            TrialState.TRIAL_STATE_FAILED,
            TrialState.TRIAL_STATE_INFEASIBLE,
            TrialState.TRIAL_STATE_STOPPED,
            TrialState.TRIAL_STATE_PENDING),
        trials.stream().map(Trial::getState).toList());
    assertEquals(1, trials.get(3).getMeasurementsCount());

    TrialBook.Saved saved = old.save(DESIGNER);
    assertEquals(4, saved.records().size(), "A, F, I and S");
    assertEquals(trials, storedTrials(new Checkpoint(saved.state(), results, saved.records())));
  }
}
