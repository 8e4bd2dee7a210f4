package io.nassearch.coordinator.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nassearch.api.v1.Search;
import io.nassearch.api.v1.SearchProgress;
import io.nassearch.api.v1.SearchState;
import io.nassearch.coordinator.store.jdbc.WriteFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        () -> store.checkpoint(r2, more, List.of(), List.of(new byte[] {5}), new byte[] {2, 2}));
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

  /**
   * Group commit: checkpoints of several searches that arrive while a commit is under way share the
   * next commit, and none returns before the commit that holds it.
   */
  @Test
  void concurrentCheckpointsShareACommitAndEachReturnsAfterIt() throws Exception {
    int followers = 5;
    List<Search> searches = new ArrayList<>();
    for (int i = 0; i <= followers; i++) {
      searches.add(store.create(search(100 + i), ""));
    }
    CountDownLatch holdFirstCommit = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    AtomicInteger returned = new AtomicInteger();
    int commitsBefore = faults.commits();
    faults.beforeEachCommit(
        () -> {
          if (first.getAndSet(false)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> holdFirstCommit.getCount() == 0);
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(followers + 1);
    try {
      List<Thread> threads = new CopyOnWriteArrayList<>();
      List<Future<Integer>> done = new ArrayList<>();
      for (Search s : searches) {
        done.add(
            pool.submit(
                () -> {
                  threads.add(Thread.currentThread());
                  store.checkpoint(
                      s,
                      List.of(new ScoredCandidate("a", 1)),
                      List.of(),
                      List.of(new byte[] {1}),
                      new byte[0]);
                  returned.incrementAndGet();
                  return faults.commits();
                }));
        if (done.size() == 1) { // the leader is held in its commit before the others call
          await().atMost(Duration.ofSeconds(20)).until(() -> first.get() == false);
        }
      }
      // Everyone else waits for the held commit to end.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  threads.size() == followers + 1
                      && threads.stream().filter(t -> waitingForACommit(t)).count() == followers);
      assertEquals(0, returned.get(), "nothing returns before its commit");
      holdFirstCommit.countDown();
      for (Future<Integer> f : done) {
        assertTrue(f.get(20, TimeUnit.SECONDS) > commitsBefore, "returned after a commit");
      }
    } finally {
      holdFirstCommit.countDown();
      pool.shutdownNow();
    }
    assertEquals(
        2,
        faults.commits() - commitsBefore,
        "one commit for the first checkpoint, one for the " + followers + " that queued behind it");
    for (Search s : searches) {
      Checkpoint c = store.checkpoint(s.getSearchId()).orElseThrow();
      assertEquals(1, c.candidates().size());
      assertEquals(1, c.trialRecords().size());
    }
  }

  /** A failing checkpoint that shares a transaction fails alone; the others are stored. */
  @Test
  void aFailedCheckpointInAGroupFailsOnlyItsCaller() throws Exception {
    Search good = store.create(search(100), "");
    Search ghost = search(1); // never created: its update fails
    CountDownLatch holdFirstCommit = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    Search warmUp = store.create(search(101), "");
    faults.beforeEachCommit(
        () -> {
          if (first.getAndSet(false)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> holdFirstCommit.getCount() == 0);
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Thread> threads = new CopyOnWriteArrayList<>();
      Future<?> leader = pool.submit(() -> store.checkpoint(warmUp, List.of(), new byte[] {1}));
      await().atMost(Duration.ofSeconds(20)).until(() -> first.get() == false);
      Future<?> bad =
          pool.submit(
              () -> {
                threads.add(Thread.currentThread());
                store.checkpoint(ghost, List.of(new ScoredCandidate("x", 1)), new byte[] {5});
                return null;
              });
      Future<?> ok =
          pool.submit(
              () -> {
                threads.add(Thread.currentThread());
                store.checkpoint(good, List.of(new ScoredCandidate("a", 1)), new byte[] {2});
                return null;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> threads.size() == 2 && threads.stream().allMatch(t -> waitingForACommit(t)));
      holdFirstCommit.countDown();
      leader.get(20, TimeUnit.SECONDS);
      ok.get(20, TimeUnit.SECONDS);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> bad.get(20, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof RuntimeException, e.toString());
    } finally {
      holdFirstCommit.countDown();
      pool.shutdownNow();
    }
    assertTrue(store.checkpoint(ghost.getSearchId()).isEmpty());
    assertEquals(1, store.checkpoint(good.getSearchId()).orElseThrow().candidates().size());
  }

  /** Queued for a group commit: parked in the store's wait for the commit under way. */
  private static boolean waitingForACommit(Thread t) {
    return t.getState() == Thread.State.WAITING
        && Arrays.stream(t.getStackTrace())
            .anyMatch(f -> f.getMethodName().equals("awaitUninterruptibly"));
  }
}
