package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.store.jdbc.WriteFaults;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract, plus what only a real database can show: a transaction that fails half way leaves
 * nothing behind.
 */
abstract class JdbcSearchStoreContractTest extends SearchStoreContractTest {
  final WriteFaults faults = new WriteFaults();

  /** A store opened through {@code faults.open(...)}. */
  abstract SearchStore newStore(WriteFaults faults) throws Exception;

  @Override
  final SearchStore newStore() throws Exception {
    return newStore(faults);
  }

  @Test
  void aCheckpointThatFailsAfterItsFirstInsertLeavesTheStoreAsItWas() throws Exception {
    Search s = store.create(search(100), "");
    Search r1 =
        s.toBuilder()
            .setState(SearchState.SEARCH_STATE_RUNNING)
            .setProgress(SearchProgress.newBuilder().setCandidatesScored(2))
            .build();
    store.checkpoint(
        r1, List.of(new ScoredCandidate("a", 1.5), new ScoredCandidate("b", -2)), new byte[] {1});

    faults.failTheWriteAfterTheFirstInsert();
    Search r2 =
        r1.toBuilder()
            .setModelId("m")
            .setProgress(SearchProgress.newBuilder().setCandidatesScored(4))
            .build();
    List<ScoredCandidate> more =
        List.of(new ScoredCandidate("c", 0.25), new ScoredCandidate("d", 3));
    assertThrows(
        StoreException.class,
        () -> store.checkpoint(r2, more, List.of(new byte[] {5}), new byte[] {2, 2}));
    List<String> writes = faults.writesSinceArmed();
    assertTrue(
        writes.size() >= 3 && writes.get(writes.size() - 2).startsWith("INSERT"),
        "the failure came after the search update and an insert: " + writes);

    assertEquals(
        r1, store.get(s.getSearchId()).orElseThrow(), "the search as of the last checkpoint");
    Checkpoint c = store.checkpoint(s.getSearchId()).orElseThrow();
    assertEquals(
        List.of(new ScoredCandidate("a", 1.5), new ScoredCandidate("b", -2)),
        c.candidates(),
        "no candidate of the failed round");
    assertArrayEquals(new byte[] {1}, c.algorithmState());

    assertTrue(c.trialRecords().isEmpty(), "no trial record of the failed round either");

    // The same round written again lands once.
    store.checkpoint(r2, more, new byte[] {2, 2});
    assertEquals(4, store.checkpoint(s.getSearchId()).orElseThrow().candidates().size());
    assertEquals(r2, store.get(s.getSearchId()).orElseThrow());
  }
}
