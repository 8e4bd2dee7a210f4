package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.nassearch.api.v1.Candidate;
import io.nassearch.api.v1.GetResultsResponse;
import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchSpec;
import io.nassearch.api.v1.SearchState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every SearchStore must do; one subclass per implementation. */
abstract class SearchStoreContractTest {
  SearchStore store;

  abstract SearchStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static Search search(long createdSeconds) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return Search.newBuilder()
        .setSearchId(id)
        .setName("searches/" + id)
        .setSpec(SearchSpec.newBuilder().setSpace("nb201").setSeed(7))
        .setState(SearchState.SEARCH_STATE_PENDING)
        .setCreateTime(Timestamp.newBuilder().setSeconds(createdSeconds))
        .build();
  }

  @Test
  void storesAndReturnsSearches() {
    Search s = search(100);
    assertEquals(s, store.create(s, ""));
    assertEquals(s, store.get(s.getSearchId()).orElseThrow());
    assertTrue(store.get("nope").isEmpty());
  }

  @Test
  void aRepeatedRequestIdReturnsTheFirstSearchAndStoresNothing() {
    Search first = search(100);
    store.create(first, "req-1");
    Search again = store.create(search(101), "req-1");
    assertEquals(first, again);
    assertEquals(1, store.list().size());
    assertEquals(first, store.findByRequestId("req-1").orElseThrow());
    assertTrue(store.findByRequestId("req-2").isEmpty());
  }

  @Test
  void listsNewestFirst() {
    Search old = store.create(search(100), "");
    Search mid = store.create(search(200), "");
    Search recent = store.create(search(300), "");
    assertEquals(List.of(recent, mid, old), store.list());
  }

  @Test
  void updateReplacesAndUnknownIsRejected() {
    Search s = store.create(search(100), "");
    Search running = s.toBuilder().setState(SearchState.SEARCH_STATE_RUNNING).build();
    store.update(running);
    assertEquals(running, store.get(s.getSearchId()).orElseThrow());
    assertThrows(IllegalStateException.class, () -> store.update(search(5)));
  }

  @Test
  void resultsRoundTrip() {
    Search s = store.create(search(100), "");
    assertTrue(store.results(s.getSearchId()).isEmpty());
    List<Candidate> ranked =
        List.of(
            Candidate.newBuilder()
                .setArchitecture("a")
                .setPredictedRank(1)
                .setTrueObjective(91.5)
                .build(),
            Candidate.newBuilder().setArchitecture("b").setPredictedRank(2).build());
    GetResultsResponse withFront =
        GetResultsResponse.newBuilder()
            .addAllCandidates(ranked)
            .addParetoFront(ranked.get(1))
            .setHypervolumeRatio(0.75)
            .setObjectiveOptimum(91.6)
            .build();
    store.putResults(s.getSearchId(), withFront.toBuilder().setSearch(s).build());
    assertEquals(
        withFront,
        store.results(s.getSearchId()).orElseThrow(),
        "stored without the search itself");
    GetResultsResponse shorter =
        GetResultsResponse.newBuilder().addCandidates(ranked.get(0)).build();
    store.putResults(s.getSearchId(), shorter);
    assertEquals(shorter, store.results(s.getSearchId()).orElseThrow());
  }

  @Test
  void modelsAreStoredOnceAndCallersGetCopies() {
    byte[] bytes = {1, 2, 3};
    store.putModel("m-1", bytes);
    bytes[0] = 9;
    store.putModel("m-1", new byte[] {7});
    byte[] read = store.model("m-1").orElseThrow();
    assertArrayEquals(new byte[] {1, 2, 3}, read);
    read[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, store.model("m-1").orElseThrow());
    assertTrue(store.model("m-2").isEmpty());
  }

  @Test
  void checkpointsAppendCandidatesInOrderAndReplaceTheAlgorithmState() {
    Search s = store.create(search(100), "");
    assertTrue(store.checkpoint(s.getSearchId()).isEmpty());
    Search r1 = s.toBuilder().setState(SearchState.SEARCH_STATE_RUNNING).build();
    store.checkpoint(
        r1, List.of(new ScoredCandidate("a", 1.5), new ScoredCandidate("b", -2)), new byte[] {1});
    Search r2 = r1.toBuilder().setModelId("m").build();
    store.checkpoint(r2, List.of(new ScoredCandidate("c", 0.25)), new byte[] {2, 2});
    Checkpoint c = store.checkpoint(s.getSearchId()).orElseThrow();
    assertArrayEquals(new byte[] {2, 2}, c.algorithmState());
    assertEquals(
        List.of(
            new ScoredCandidate("a", 1.5),
            new ScoredCandidate("b", -2),
            new ScoredCandidate("c", 0.25)),
        c.candidates());
    assertEquals(r2, store.get(s.getSearchId()).orElseThrow());
  }

  @Test
  void checkpointsAppendTrialRecordsInOrder() {
    Search s = store.create(search(100), "");
    store.checkpoint(
        s, List.of(), List.of(), List.of(new byte[] {1}, new byte[] {2, 2}), new byte[] {9});
    store.checkpoint(s, List.of(new ScoredCandidate("a", 1)), List.of(), List.of(), new byte[] {8});
    store.checkpoint(s, List.of(), List.of(), List.of(new byte[] {3}), new byte[] {7});
    Checkpoint c = store.checkpoint(s.getSearchId()).orElseThrow();
    List<byte[]> records = c.trialRecords();
    assertEquals(3, records.size());
    assertArrayEquals(new byte[] {1}, records.get(0));
    assertArrayEquals(new byte[] {2, 2}, records.get(1));
    assertArrayEquals(new byte[] {3}, records.get(2));
    assertArrayEquals(new byte[] {7}, c.algorithmState());
    assertEquals(1, c.candidates().size());
  }

  @Test
  void aCheckpointOfAnUnknownSearchIsRejectedAndStoresNothing() {
    Search s = store.create(search(100), "");
    store.checkpoint(s, List.of(new ScoredCandidate("a", 1)), new byte[] {1});
    // Rejected before any insert; a failure half way is JdbcSearchStoreContractTest's.
    Search ghost = search(1);
    assertThrows(
        RuntimeException.class,
        () -> store.checkpoint(ghost, List.of(new ScoredCandidate("x", 1)), new byte[] {5}));
    assertTrue(store.checkpoint(ghost.getSearchId()).isEmpty());
    assertEquals(1, store.checkpoint(s.getSearchId()).orElseThrow().candidates().size());
  }
}
