package io.nassearch.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A burst of failures is one fault and one change for listeners; recovery wakes waiters. */
class WritabilityTest {
  @Test
  void aThousandFailedWritesAreOneFaultAndRecoveryWakesTheWaiters() throws Exception {
    Writability w = new Writability();
    AtomicInteger changes = new AtomicInteger();
    w.onChange(changes::incrementAndGet);
    StoreException full = new StoreException(StoreFault.DISK_FULL, "disk full", null);
    for (int i = 0; i < 1000; i++) {
      w.failed(full);
    }
    assertEquals(1, w.faults());
    assertEquals(1, changes.get());
    assertEquals(StoreFault.DISK_FULL, w.problem().orElseThrow().fault());
    assertFalse(w.await(Duration.ofMillis(20)));

    CompletableFuture<Boolean> woken = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                woken.complete(w.await(Duration.ofSeconds(30)));
              } catch (InterruptedException e) {
                woken.completeExceptionally(e);
              }
            });
    waiter.start();
    while (waiter.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    w.recovered();
    assertTrue(woken.get(5, TimeUnit.SECONDS), "woken by the recovery, not by its timeout");
    assertTrue(w.problem().isEmpty());
    assertEquals(2, changes.get());
  }
}
