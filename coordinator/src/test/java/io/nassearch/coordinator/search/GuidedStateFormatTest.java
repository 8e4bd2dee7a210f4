package io.nassearch.coordinator.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nassearch.api.v1.Trial;
import io.nassearch.api.v1.TrialState;
import io.nassearch.coordinator.store.Checkpoint;
import io.nassearch.coordinator.store.ScoredCandidate;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trials read back from both stored state formats of a guided search (a coordinator upgrade keeps old checkpoints). */
class GuidedStateFormatTest {
  private static final List<ScoredCandidate> TOLD = List.of(new ScoredCandidate("a", 91.5), new ScoredCandidate("b", 90.0));

  @Test
  void formatOneKeepsClientIdsByArchitecture() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(1);
    out.writeInt(3);
    out.write(new byte[] {7, 7, 7}); // the algorithm snapshot, not read here
    strings(out, "p", "alice"); // pending
    strings(out, "f", "out of memory"); // failures
    strings(out, "a", "alice", "b", "bob", "f", "carol"); // asked by
    check(GuidedSearchRunner.storedTrials(new Checkpoint(bytes.toByteArray(), TOLD)));
  }

  @Test
  void formatTwoKeepsClientIdsAsRunsInTellingOrder() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(2);
    out.writeInt(0);
    strings(out, "p", "alice");
    strings(out, "f", "out of memory");
    out.writeInt(4);
    for (String client : List.of("", "alice", "bob", "carol")) {
      out.writeUTF(client);
    }
    out.writeInt(2); // told trials
    out.writeInt(2); // runs of the same client
    out.writeInt(1); // a: alice
    out.writeInt(1);
    out.writeInt(2); // b: bob
    out.writeInt(1);
    out.writeInt(3); // f: carol
    byte[] state = bytes.toByteArray();
    check(GuidedSearchRunner.storedTrials(new Checkpoint(state, TOLD)));
    // The indices must cover the stored results exactly; a mismatch is a corrupt checkpoint, not a silent mix-up.
    assertThrows(IllegalArgumentException.class,
        () -> GuidedSearchRunner.storedTrials(new Checkpoint(state, TOLD.subList(0, 1))));
  }

  private static void check(List<Trial> trials) {
    assertEquals(4, trials.size());
    assertEquals(List.of("a", "b", "f", "p"), trials.stream().map(Trial::getArchitecture).toList());
    assertEquals(List.of(TrialState.TRIAL_STATE_COMPLETED, TrialState.TRIAL_STATE_COMPLETED, TrialState.TRIAL_STATE_FAILED,
        TrialState.TRIAL_STATE_PENDING), trials.stream().map(Trial::getState).toList());
    assertEquals(List.of("alice", "bob", "carol", "alice"), trials.stream().map(Trial::getClientId).toList());
    assertEquals(91.5, trials.get(0).getObjective());
    assertEquals("out of memory", trials.get(2).getFailureReason());
  }

  private static void strings(DataOutputStream out, String... keyValues) throws IOException {
    out.writeInt(keyValues.length / 2);
    for (String s : keyValues) {
      out.writeUTF(s);
    }
  }
}
